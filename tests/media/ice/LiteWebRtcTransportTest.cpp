// A WebRtcTransport on a worker's UdpMux (ICE-lite) against a full-ICE WebRtcTransport on its own
// libnice agent, over loopback: checks → DTLS 1.2 with fingerprints → SRTP both ways, then an
// ICE restart that keeps the DTLS session. Also the load generator's side of a lite bridge: a
// WebRtcTransport on a ClientIceTransport (made by its link factory) against the lite one.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/DtlsContext.hpp"
#include "media/ice/ClientIceTransport.hpp"
#include "media/ice/ClientMux.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/transport/WebRtcTransport.hpp"
#include "media/worker/InvokeAndWait.hpp"
#include "tests/media/ice/TransportSide.hpp"

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;

// One side: the transport, its DTLS context, and what its listener saw.
struct Side : test::TransportSide {
  using TransportSide::TransportSide;

  int recovered = 0;
  std::vector<std::string> closed;
  std::vector<std::pair<uint16_t, std::vector<uint8_t>>> rtp;  // sequence, payload

  void create(UdpMux* mux) {
    invokeAndWait(worker, [&] {
      dtls = std::make_unique<DtlsContext>(certificate);
      transport = std::make_unique<WebRtcTransport>(worker, *dtls, ice, *this, mux);
    });
  }
  void createOn(ClientMux& clientMux) {
    invokeAndWait(worker, [&] {
      dtls = std::make_unique<DtlsContext>(certificate);
      transport = std::make_unique<WebRtcTransport>(worker, *dtls, *this, [&](IceLink::Listener& listener) {
        return std::make_unique<ClientIceTransport>(clientMux, ice, listener);
      });
    });
  }
  void destroy() {
    invokeAndWait(worker, [&] {
      transport.reset();
      dtls.reset();
    });
  }
  bool send(uint16_t seq, size_t payload) {
    std::vector<uint8_t> p = {0x80, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq), 0, 0, 0, 1,
                              0x11, 0x11, 0x11, 0x11};
    for (size_t i = 0; i < payload; ++i) p.push_back(static_cast<uint8_t>(seq * 7 + i));
    return invokeAndWait(worker, [&] {
      return transport && transport->sendRtp(p.data(), p.size(), [](rtp::RtpPacket&) {});
    });
  }

  void onTransportRecovered() override {
    std::lock_guard lock(mutex);
    ++recovered;
    changed.notify_all();
  }
  void onTransportClosed(std::string_view reason) override {
    std::lock_guard lock(mutex);
    closed.emplace_back(reason);
    changed.notify_all();
  }
  void onRtp(rtp::RtpPacket& packet) override {
    const auto payload = packet.payload();
    std::lock_guard lock(mutex);
    rtp.emplace_back(packet.sequence(), std::vector<uint8_t>(payload.begin(), payload.end()));
    changed.notify_all();
  }
};

class LiteWebRtcTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IceConfig liteIce;
    liteIce.localAddresses = {"127.0.0.1"};
    liteIce.lite = true;
    IceConfig fullIce;
    fullIce.localAddresses = {"127.0.0.1"};
    mux_ = invokeAndWait(liteWorker_, [&] { return std::make_unique<UdpMux>(liteWorker_, liteIce, 0); });
    full_ = std::make_unique<Side>(fullWorker_, fullIce);
    lite_ = std::make_unique<Side>(liteWorker_, liteIce);
    full_->remote = lite_.get();
    lite_->remote = full_.get();
  }
  void TearDown() override {
    full_->destroy();
    lite_->destroy();
    invokeAndWait(fullWorker_, [] {});
    invokeAndWait(liteWorker_, [] {});
    invokeAndWait(liteWorker_, [&] { mux_.reset(); });
    invokeAndWait(fullWorker_, [&] { clientMux_.reset(); });
  }
  void connect(bool fullOnClientMux = false) {
    if (fullOnClientMux) {
      clientMux_ = invokeAndWait(fullWorker_, [&] { return std::make_unique<ClientMux>(fullWorker_); });
      full_->createOn(*clientMux_);
    } else {
      full_->create(nullptr);
    }
    lite_->create(mux_.get());
    EXPECT_TRUE(invokeAndWait(liteWorker_, [&] { return lite_->transport->iceLite(); }));
    // The browser-like full side is the DTLS client and, facing a=ice-lite, the controlling agent.
    const auto forFull = lite_->paramsForRemote(DtlsRole::Client, /*lite=*/true);
    const auto forLite = full_->paramsForRemote(DtlsRole::Server, /*lite=*/false);
    invokeAndWait(fullWorker_, [&] { full_->transport->setRemote(forFull); });
    invokeAndWait(liteWorker_, [&] { lite_->transport->setRemote(forLite); });
    // libnice's role as set from a=ice-lite; a ClientIceTransport is controlling without asking.
    EXPECT_TRUE(invokeAndWait(fullWorker_, [&] { return full_->transport->iceControlling(); }));
    EXPECT_FALSE(invokeAndWait(liteWorker_, [&] { return lite_->transport->iceControlling(); }));
    invokeAndWait(fullWorker_, [&] { full_->transport->gather([] {}); });
    invokeAndWait(liteWorker_, [&] {
      lite_->transport->gather([this] {
        fullWorker_.post([this] {
          if (full_->transport) full_->transport->remoteGatheringDone();
        });
      });
    });
    ASSERT_TRUE(full_->waitFor(10s, [&] { return full_->connected > 0; })) << "full side: no DTLS";
    ASSERT_TRUE(lite_->waitFor(10s, [&] { return lite_->connected > 0; })) << "lite side: no DTLS";
  }

  SrtpLibrary srtp_;
  Worker fullWorker_{"webrtc-full"};
  Worker liteWorker_{"webrtc-lite"};
  std::unique_ptr<UdpMux> mux_;
  std::unique_ptr<ClientMux> clientMux_;  // the full side's, when it runs on the minimal client
  std::unique_ptr<Side> full_;
  std::unique_ptr<Side> lite_;
};

TEST_F(LiteWebRtcTransportTest, DtlsAndSrtpRunOverTheSharedSocket) {
  connect();
  constexpr uint16_t kCount = 30;
  for (uint16_t seq = 1; seq <= kCount; ++seq) {
    ASSERT_TRUE(full_->send(seq, 900)) << seq;
    ASSERT_TRUE(lite_->send(seq, 120)) << seq;
  }
  ASSERT_TRUE(lite_->waitFor(5s, [&] { return lite_->rtp.size() >= kCount; }));
  ASSERT_TRUE(full_->waitFor(5s, [&] { return full_->rtp.size() >= kCount; }));
  std::lock_guard lockLite(lite_->mutex);
  std::lock_guard lockFull(full_->mutex);
  for (uint16_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(lite_->rtp[i].first, i + 1);
    EXPECT_EQ(lite_->rtp[i].second.size(), 900u);
    EXPECT_EQ(full_->rtp[i].second.size(), 120u);
    EXPECT_EQ(full_->rtp[i].second[5], static_cast<uint8_t>((i + 1) * 7 + 5));
  }
  const auto stats = invokeAndWait(liteWorker_, [&] { return mux_->stats(); });
  EXPECT_GE(stats.stunRequests, 1u);
  EXPECT_EQ(stats.stunRejected, 0u);
  EXPECT_EQ(stats.unknownSource, 0u);
}

TEST_F(LiteWebRtcTransportTest, TheMinimalClientCarriesDtlsAndSrtpBothWays) {
  connect(/*fullOnClientMux=*/true);
  EXPECT_FALSE(invokeAndWait(fullWorker_, [&] { return full_->transport->iceLite(); }));
  constexpr uint16_t kCount = 30;
  for (uint16_t seq = 1; seq <= kCount; ++seq) {
    ASSERT_TRUE(full_->send(seq, 900)) << seq;
    ASSERT_TRUE(lite_->send(seq, 120)) << seq;
  }
  ASSERT_TRUE(lite_->waitFor(5s, [&] { return lite_->rtp.size() >= kCount; }));
  ASSERT_TRUE(full_->waitFor(5s, [&] { return full_->rtp.size() >= kCount; }));
  const auto clientStats = invokeAndWait(fullWorker_, [&] { return clientMux_->stats(); });
  EXPECT_GE(clientStats.datagramsIn, kCount + 2u) << "media, DTLS and the check's response, all through the mux";
  EXPECT_EQ(invokeAndWait(fullWorker_, [&] { return clientMux_->endpoints(); }), 1u);
  const auto stats = invokeAndWait(liteWorker_, [&] { return mux_->stats(); });
  EXPECT_GE(stats.stunRequests, 1u);
  EXPECT_EQ(stats.stunRejected, 0u);
  invokeAndWait(fullWorker_, [&] { full_->transport->close("test closed it"); });
  EXPECT_EQ(invokeAndWait(fullWorker_, [&] { return clientMux_->endpoints(); }), 0u);
}

TEST_F(LiteWebRtcTransportTest, IceRestartKeepsTheDtlsSession) {
  connect();
  ASSERT_TRUE(full_->send(1, 100));
  ASSERT_TRUE(lite_->waitFor(3s, [&] { return lite_->rtp.size() >= 1; }));
  // Both sides restart, as a re-offer and its answer would make them.
  struct Restarted {
    std::string ufrag, pwd;
    std::vector<std::string> candidates;
  };
  auto restart = [](Side& side) {
    return invokeAndWait(side.worker, [&] {
      side.transport->restartIce();
      return Restarted{side.transport->localUfrag(), side.transport->localPwd(),
                       side.transport->localCandidates()};
    });
  };
  const Restarted lite = restart(*lite_);
  const Restarted full = restart(*full_);
  invokeAndWait(liteWorker_, [&] { lite_->transport->setRemoteIceCredentials(full.ufrag, full.pwd); });
  invokeAndWait(fullWorker_, [&] {
    full_->transport->setRemoteIceCredentials(lite.ufrag, lite.pwd);
    for (const auto& c : lite.candidates) full_->transport->addRemoteCandidate(c);
    full_->transport->remoteGatheringDone();
  });
  ASSERT_TRUE(full_->waitFor(10s, [&] { return full_->recovered > 0; }));
  ASSERT_TRUE(lite_->waitFor(10s, [&] { return lite_->recovered > 0; }));
  EXPECT_EQ(full_->connected, 1);  // no second handshake
  EXPECT_EQ(lite_->connected, 1);
  ASSERT_TRUE(full_->send(2, 100));
  ASSERT_TRUE(lite_->send(9, 50));
  ASSERT_TRUE(lite_->waitFor(3s, [&] { return lite_->rtp.size() >= 2; }));
  ASSERT_TRUE(full_->waitFor(3s, [&] { return full_->rtp.size() >= 1; }));
  EXPECT_TRUE(full_->closed.empty());
  EXPECT_TRUE(lite_->closed.empty());
}

TEST_F(LiteWebRtcTransportTest, CloseOnTheLiteSideTellsThePeer) {
  connect();
  invokeAndWait(liteWorker_, [&] { lite_->transport->close("test closed it"); });
  ASSERT_TRUE(full_->waitFor(5s, [&] { return !full_->closed.empty(); }));
  EXPECT_EQ(invokeAndWait(liteWorker_, [&] { return mux_->transportCount(); }), 0u);
}

}  // namespace
}  // namespace diemcau::media
