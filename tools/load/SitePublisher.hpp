#pragma once
// The publish connection of a simulated site: offers one audio and/or one video section
// (sendonly, BUNDLE, rtcp-mux), applies the server's answer, and once ICE and DTLS are up sends
// synthetic Opus-sized audio every 20 ms and VP8-like video frames at the configured bitrate,
// with a key frame at the configured interval and whenever the server asks (PLI or FIR). Video
// leaves paced (VideoPacer: a frame's packets spread at pacingFactor x the bitrate, as a browser's
// pacer releases them), audio as it is produced. Every packet is stamped with the moment it is
// handed to the transport.
//
// Worker thread only.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "media/ice/ClientMux.hpp"
#include "media/sdp/SessionDescription.hpp"
#include "media/transport/MediaEngine.hpp"
#include "media/transport/WebRtcTransport.hpp"
#include "media/worker/Timer.hpp"
#include "tools/load/SyntheticStream.hpp"
#include "tools/load/VideoPacer.hpp"
#include "tools/load/WorkerStats.hpp"

namespace diemcau::load {

struct MediaProfile {
  bool audio = true;
  bool video = true;
  uint32_t videoBitrate = 300'000;  // bit/s
  size_t videoPacketSize = 1'000;   // RTP payload bytes
  uint32_t framesPerSecond = 30;
  uint32_t keyframeIntervalMs = 2'000;
  /// Video pacing rate as a multiple of videoBitrate (0: a frame's packets leave back to back).
  double pacingFactor = 2.5;
  size_t audioPacketSize = 100;  // RTP payload bytes
  /// Audio carries RFC 6464 levels (as browsers send them), so the bridge can rank speakers:
  /// `speaking` sites send speech levels, the others silence.
  bool audioLevels = true;
  bool speaking = false;
};

class SitePublisher final : private media::WebRtcTransport::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onPublishOffer(std::string sdp) = 0;
    virtual void onPublishConnected() = 0;
    virtual void onPublishFailed(std::string reason) = 0;
  };

  /// `clientMux` non-null: the connection uses the worker's minimal ICE client instead of libnice,
  /// which only an ICE-lite bridge answers (an answer without a=ice-lite fails the publisher).
  SitePublisher(media::MediaEngine& engine, media::Worker& worker, WorkerStats& stats, std::string siteId,
                uint16_t slot, uint8_t generation, const MediaProfile& profile, media::ClientMux* clientMux,
                Listener& listener);
  ~SitePublisher() override;

  /// Gathers candidates, then hands the offer to the listener.
  void start();
  void onAnswer(const std::string& sdp);
  void addRemoteCandidate(const std::string& candidate);
  void stopSending();
  /// Stream sequence of the last packet sent of `kind` (0: none).
  uint32_t lastSequence(StreamKind kind) const;

 private:
  void onTransportCandidate(const std::string&) override {}
  void onTransportConnected() override;
  void onTransportClosed(std::string_view reason) override;
  void onRtp(media::rtp::RtpPacket&) override {}
  void onRtcp(uint8_t* data, size_t len) override;

  void offer();
  void tick();
  void sendVideo(const VideoPacer::Packet& packet);
  void send(size_t len, StreamKind kind);

  static constexpr int64_t kAudioFrameNs = 20'000'000;

  media::MediaEngine& engine_;
  WorkerStats& stats_;
  std::string siteId_;
  MediaProfile profile_;
  Listener& listener_;
  std::unique_ptr<media::WebRtcTransport> transport_;
  bool clientIce_ = false;
  media::sdp::SessionDescription offer_;
  std::optional<SyntheticStream> audio_;
  std::optional<SyntheticStream> video_;
  VideoPacer pacer_;
  media::Timer tick_;  // one-shot, re-armed for the next due packet (its source is kept)
  bool sending_ = false;
  bool stopped_ = false;
  bool keyframeWanted_ = true;
  bool keyframe_ = false;  // the frame being sent
  int64_t nextAudioNs_ = 0;
  int64_t nextKeyframeNs_ = 0;
  std::array<uint8_t, 1500> buffer_{};
};

}  // namespace diemcau::load
