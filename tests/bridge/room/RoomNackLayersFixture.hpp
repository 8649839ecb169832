#pragma once
// A real room over loopback on an injected clock, the hall publishing three VP8 rid layers and the
// site a receiver whose NACKs and receiver reports the test crafts (RoomNackLayersTest,
// RoomIceRestartLossTest).
//
// The hall publishes q, h, f: 200, 500 and 1100-byte VP8 packets, one picture each per 10 ms step,
// each layer numbering its pictures on its own. Time is the test's: each step sends one packet per
// layer, waits for the bridge to forward it, then moves the room's clock by 10 ms; every tenth
// step is a room tick. While `weak`, the site NACKs every other f packet it gets; its receiver
// reports (every `reportSteps_` while `reports_`) count those as lost only with `reportLoss` (else
// it is a receiver whose NACKs were for late packets).
#include <gtest/gtest.h>

#include <array>
#include <map>

#include "bridge/room/RtcpReports.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/Vp8PayloadDescriptor.hpp"
#include "media/sdp/HeaderExtensionUri.hpp"
#include "tests/bridge/room/RoomFixture.hpp"

namespace diemcau::bridge::test {

inline constexpr uint8_t kRidId = 10;
struct Layer {
  char rid;
  uint32_t ssrc;
  size_t size;
  uint16_t firstPicture;  // each layer numbers its pictures on its own
};
inline constexpr std::array<Layer, 3> kLayers{{{'q', 0x51515151, 200, 100}, {'h', 0x52525252, 500, 9000},
                                        {'f', 0x53535353, 1100, 20000}}};
inline constexpr size_t kH = 500;
inline constexpr size_t kF = 1100;
inline constexpr int64_t kStepUs = 10'000;

// One VP8 packet of a layer, its rid in a one-byte header extension (RFC 8285 section 4.2) and a
// 15-bit picture id in the descriptor (RFC 7741 section 4.2):
//   0x90 0x60               V=2, X=1, PT=96
//   seq, ts = seq * 900, ssrc
//   0xBE 0xDE 0x00 0x01     one-byte extensions, one word
//   0xA0 rid 0x00 0x00      id 10, length 1, the rid; padding
//   0x90 0x80 M|pid pid     descriptor: X=1, S=1, PID=0; I=1; the picture id with M set
//   key ? 0x00 : 0x01       frame header: P (inverse key frame flag) is its low bit
//   0x00 0x00 0x9D 0x01 0x2A  the rest of the frame tag and the keyframe start code
inline std::vector<uint8_t> layerPacket(const Layer& layer, uint16_t seq, uint16_t picture, bool key) {
  const uint32_t ts = seq * 900u;
  const uint32_t ssrc = layer.ssrc;
  std::vector<uint8_t> p = {0x90, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq),
                            static_cast<uint8_t>(ts >> 24), static_cast<uint8_t>(ts >> 16), static_cast<uint8_t>(ts >> 8),
                            static_cast<uint8_t>(ts), static_cast<uint8_t>(ssrc >> 24), static_cast<uint8_t>(ssrc >> 16),
                            static_cast<uint8_t>(ssrc >> 8), static_cast<uint8_t>(ssrc), 0xBE, 0xDE, 0x00, 0x01,
                            static_cast<uint8_t>(kRidId << 4), static_cast<uint8_t>(layer.rid), 0x00, 0x00, 0x90, 0x80,
                            static_cast<uint8_t>(0x80 | (picture >> 8)), static_cast<uint8_t>(picture),
                            static_cast<uint8_t>(key ? 0x00 : 0x01), 0x00, 0x00, 0x9D, 0x01, 0x2A};
  p.resize(layer.size, 0x55);
  return p;
}

// The site: records the bridge's video stream (size, sequence number, picture id) and its
// repairs; while `weak`, marks every other f-sized packet lost, to be NACKed by the test thread.
class Site final : public TestPeer {
 public:
  struct Video {
    uint16_t sequence;
    size_t size;
    uint16_t picture;
  };
  using TestPeer::TestPeer;

  void onRtp(rtp::RtpPacket& packet) override {
    TestPeer::onRtp(packet);
    const auto payload = packet.payload();
    std::lock_guard lock(mutex_);
    if (packet.ssrc() == videoSsrc) {
      const auto picture = rtp::vp8PictureId(payload);
      video_.push_back({packet.sequence(), packet.size(), picture.value_or(0xFFFF)});
      // RFC 3550 appendix A.1: the extended highest sequence number.
      const auto ahead = static_cast<uint16_t>(packet.sequence() - static_cast<uint16_t>(highest_));
      if (video_.size() == 1) {
        highest_ = packet.sequence();
      } else if (ahead < 0x8000) {
        highest_ += ahead;
      }
      if (weak && packet.size() == kF && packet.sequence() % 2 == 0) {
        lost_.push_back(packet.sequence());
        if (reportLoss) ++cumulativeLost_;
      }
    } else if (payload.size() > 2) {
      // RTX (RFC 4588): the original sequence number, then the original payload.
      const auto osn = static_cast<uint16_t>((payload[0] << 8) | payload[1]);
      repairs_[osn] = rtp::vp8PictureId(payload.subspan(2)).value_or(0xFFFF);
    }
  }

  std::vector<Video> video() {
    std::lock_guard lock(mutex_);
    return video_;
  }
  std::vector<uint16_t> takeLost() {
    std::lock_guard lock(mutex_);
    return std::exchange(lost_, {});
  }
  std::map<uint16_t, uint16_t> repairs() {
    std::lock_guard lock(mutex_);
    return repairs_;
  }
  // Extended highest sequence number received and cumulative loss, for a receiver report.
  std::pair<uint32_t, int32_t> reportFigures() {
    std::lock_guard lock(mutex_);
    return {highest_, cumulativeLost_};
  }

  void onTransportRecovered() override { recovered = true; }

  std::atomic<uint32_t> videoSsrc{0};
  std::atomic<bool> weak{false};
  std::atomic<bool> reportLoss{true};
  std::atomic<bool> recovered{false};

 private:
  std::mutex mutex_;
  std::vector<Video> video_;
  std::vector<uint16_t> lost_;
  std::map<uint16_t, uint16_t> repairs_;  // OSN → picture id of the repair
  uint32_t highest_ = 0;
  int32_t cumulativeLost_ = 0;
};

class RoomNackLayers : public RoomFixture<Site> {
 protected:
  // The room on the test's clock, the hall's three layers published, the site's first answer,
  // both connected. Use with ASSERT_NO_FATAL_FAILURE.
  void startThreeLayers() {
    startRoom([this] { return nowUs_.load(); });

    // a=rid:q send, a=rid:h send, a=rid:f send, a=simulcast:send q;h;f, the rid extension as id 10.
    sdp::OfferSection video;
    video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir"}, {}};
    video.extensions = {{kRidId, std::string(sdp::uri::kRid), std::nullopt}};
    auto hallOffer = hallVideoOffer(video);
    hallOffer.media[0].rids = {{"q", sdp::Direction::SendOnly, ""},
                               {"h", sdp::Direction::SendOnly, ""},
                               {"f", sdp::Direction::SendOnly, ""}};
    hallOffer.media[0].simulcast = "send q;h;f";
    ASSERT_NO_FATAL_FAILURE(publishHall(hallOffer));
    ASSERT_EQ(hallAnswer_.media[0].simulcast, "recv q;h;f");

    ASSERT_NO_FATAL_FAILURE(answerSiteOffer(1));
    bridgeSsrc_ = siteSsrcOfHallVideo();
    ASSERT_NE(bridgeSsrc_, 0u);
    site_->videoSsrc = bridgeSsrc_;
    ASSERT_TRUE(bothConnected());
  }

  // `steps` steps of 10 ms of the room's time.
  void run(int steps) {
    for (int i = 0; i < steps; ++i) step();
  }
  // Steps until the last packet the site got is `size` bytes (at most `steps`); true if it came.
  bool runUntilLayer(size_t size, int steps) {
    for (int i = 0; i < steps; ++i) {
      step();
      const auto video = site_->video();
      if (!video.empty() && video.back().size == size) return true;
    }
    return false;
  }

  void step() {
    const bool key = step_ % 50 == 0;  // a keyframe on every layer each half second
    const size_t before = site_->video().size();
    media::invokeAndWait(peerWorker(), [&] {
      for (const Layer& layer : kLayers) {
        const auto packet = layerPacket(layer, static_cast<uint16_t>(layer.firstPicture + step_),
                                        static_cast<uint16_t>((layer.firstPicture + step_) & 0x7FFF), key);
        hall_->transport->sendRtp(packet.data(), packet.size(), [](rtp::RtpPacket&) {});
      }
    });
    // At most one layer is forwarded; none while a (re)start waits for its keyframe.
    const auto deadline = std::chrono::steady_clock::now() + 100ms;
    while (site_->video().size() == before && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(200us);
    }
    if (const auto lost = site_->takeLost(); !lost.empty()) sendNack(lost);
    ++step_;
    nowUs_ += kStepUs;
    if (step_ % 10 == 0) media::invokeAndWait(roomWorker(), [&] { room_->tick(); });
    if (reports_ && step_ % reportSteps_ == 0) sendReport();
  }

  void sendNack(const std::vector<uint16_t>& lost) {
    std::array<uint8_t, 256> buffer{};
    const size_t len = rtp::GenericNack::write(buffer, kSiteSsrc, bridgeSsrc_, std::span(lost));
    ASSERT_NE(len, 0u);
    media::invokeAndWait(peerWorker(), [&] { site_->transport->sendRtcp(buffer.data(), len); });
  }

  // The site's receiver report agrees with its NACKs: what it NACKed is what it lost.
  void sendReport() {
    const auto [highest, lost] = site_->reportFigures();
    rtp::ReportBlock block;
    block.ssrc = bridgeSsrc_;
    block.cumulativeLost = lost;
    block.highestSeq = highest;
    std::array<uint8_t, 256> buffer{};
    const size_t len = writeReceiverReportCompound(buffer, kSiteSsrc, std::span(&block, 1), "site");
    media::invokeAndWait(peerWorker(), [&] { site_->transport->sendRtcp(buffer.data(), len); });
  }

  static constexpr uint32_t kSiteSsrc = 0x5173E000;
  std::atomic<int64_t> nowUs_{100'000'000'000};
  int step_ = 0;
  uint32_t bridgeSsrc_ = 0;
  bool reports_ = true;
  int reportSteps_ = 100;  // a receiver report every second
};

// The packets the site got from index `from` on are all of layer size `size`.
inline ::testing::AssertionResult tailIs(const std::vector<Site::Video>& video, size_t from, size_t size) {
  if (from >= video.size()) return ::testing::AssertionFailure() << "only " << video.size() << " packets";
  for (size_t i = from; i < video.size(); ++i) {
    if (video[i].size != size) {
      return ::testing::AssertionFailure() << "packet " << i << " of " << video.size() << " is " << video[i].size
                                           << " bytes, not " << size;
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace diemcau::bridge::test
