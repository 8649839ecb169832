#pragma once
// The media side of the echo service: a peer's own audio and video sent back to it through every
// layer of a real connection (ICE, DTLS, SRTP, RTCP feedback).
//
//   peer ──RTP (ssrc P)──► transport ──► swap SSRC P→B ──► transport ──RTP (ssrc B)──► peer
//   peer ◄─PLI/NACK/REMB (media P)── swap B→P ◄── peer's receiver feedback (media B)
//
// The bridge's SSRCs (B) are announced in the answer, so the peer never sees its own SSRC return;
// because every SSRC field of RTCP is swapped both ways, the peer's encoder answers its own
// decoder's keyframe requests and retransmission requests, as it would with a remote party.
//
// Lives on one media worker; constructed, used and destroyed there.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "bridge/echo/SsrcMirror.hpp"
#include "media/sdp/Answer.hpp"
#include "media/transport/MediaEngine.hpp"
#include "media/transport/WebRtcTransport.hpp"

namespace diemcau::bridge {

class EchoSession final : private media::WebRtcTransport::Listener {
 public:
  /// Called on the worker thread.
  class Listener {
   public:
    virtual ~Listener() = default;
    /// `mid` names the first bundled section, where candidates of the shared transport belong.
    virtual void onEchoCandidate(const std::string& sdpCandidate, const std::string& mid) = 0;
    /// The transport is gone (ICE consent lost, DTLS failure, peer closed). Destroy the session later,
    /// not inside this call.
    virtual void onEchoClosed(std::string_view reason) = 0;
  };

  struct Counters {
    uint64_t rtpEchoed = 0;
    uint64_t rtcpEchoed = 0;
    uint64_t dropped = 0;  // unknown payload type or a send failure
  };

  /// Parses the offer and creates the transport; throws sdp::SdpError for an offer we cannot serve.
  EchoSession(media::MediaEngine& engine, media::Worker& worker, std::string_view offerSdp, Listener& listener);
  ~EchoSession() override;

  /// Gathers candidates, negotiates, and calls `onAnswer` with the answer SDP (or `onError` with the
  /// SdpError's code and sentence). Both run on the worker thread, once.
  void start(std::function<void(std::string answerSdp)> onAnswer,
             std::function<void(std::string_view code, std::string_view message)> onError);
  bool addRemoteCandidate(const std::string& sdpCandidate);
  void remoteGatheringDone() { transport_.remoteGatheringDone(); }

  const Counters& counters() const { return counters_; }
  const media::TransportStats& transportStats() const { return transport_.stats(); }

 private:
  void onTransportCandidate(const std::string& sdpCandidate) override;
  void onTransportConnected() override;
  void onTransportClosed(std::string_view reason) override;
  void onRtp(media::rtp::RtpPacket& packet) override;
  void onRtcp(uint8_t* data, size_t len) override;

  void negotiate();

  media::MediaEngine& engine_;
  Listener& listener_;
  media::sdp::SessionDescription offer_;
  media::WebRtcTransport transport_;
  SsrcMirror mirror_;
  uint8_t audioPt_ = 0xFF, videoPt_ = 0xFF, videoRtxPt_ = 0xFF;  // 0xFF: not negotiated
  std::function<void(std::string)> onAnswer_;
  std::function<void(std::string_view, std::string_view)> onError_;
  Counters counters_;
  std::string firstMid_ = "0";
};

}  // namespace diemcau::bridge
