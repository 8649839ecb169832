#include "bridge/echo/EchoSession.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/MediaCapabilities.hpp"
#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/transport/SdpTransport.hpp"

namespace diemcau::bridge {

namespace sdp = media::sdp;

namespace {

// The echo forwards the peer's own receiver feedback (REMB, NACK, PLI) back to its sender, so the
// bridge needs no estimator of its own here. Transport-wide CC is left out: its feedback describes
// the bridge's transport sequence numbers, which an echo does not generate.
sdp::MediaCapabilities echoCapabilities() {
  auto caps = sdp::MediaCapabilities::defaults();
  for (auto& codec : caps.codecs) std::erase(codec.rtcpFb, std::string("transport-cc"));
  std::erase_if(caps.extensions, [](const auto& e) { return e.uri == sdp::uri::kTransportWideCc; });
  return caps;
}

uint64_t randomSeed() { return (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}(); }

}  // namespace

EchoSession::EchoSession(media::MediaEngine& engine, media::Worker& worker, std::string_view offerSdp,
                         Listener& listener)
    : engine_(engine),
      listener_(listener),
      offer_(sdp::parseSdp(offerSdp)),
      transport_(worker, engine.dtlsContext(worker), engine.iceConfig(), *this, engine.udpMux(worker)),
      mirror_(randomSeed()) {
  transport_.setRemote(media::remoteTransportParams(offer_, /*remoteIsOffer=*/true));
}

EchoSession::~EchoSession() { transport_.close("echo ended"); }

void EchoSession::start(std::function<void(std::string)> onAnswer,
                        std::function<void(std::string_view, std::string_view)> onError) {
  onAnswer_ = std::move(onAnswer);
  onError_ = std::move(onError);
  transport_.gather([this] { negotiate(); });
}

void EchoSession::negotiate() {
  try {
    const auto local = media::localTransportParams(transport_, engine_.certificate());
    sdp::Answer answer = sdp::negotiateAnswer(offer_, local, echoCapabilities());
    if (!answer.negotiated().empty()) firstMid_ = answer.negotiated().front().mid;
    for (const auto& media : answer.negotiated()) {
      sdp::SendStream stream{.cname = "diemcau-echo", .streamId = "echo"};
      if (media.kind == sdp::MediaKind::Audio) {
        audioPt_ = media.payloadType;
        stream.ssrc = mirror_.bridgeSsrc(SsrcMirror::kAudio);
        stream.trackId = "echo-audio";
      } else if (media.kind == sdp::MediaKind::Video) {
        videoPt_ = media.payloadType;
        videoRtxPt_ = media.rtxPayloadType.value_or(0xFF);
        stream.ssrc = mirror_.bridgeSsrc(SsrcMirror::kVideo);
        if (media.rtxPayloadType) stream.rtxSsrc = mirror_.bridgeSsrc(SsrcMirror::kVideoRtx);
        stream.trackId = "echo-video";
      } else {
        continue;
      }
      answer.addSendStream(media.mid, stream);
    }
    std::exchange(onAnswer_, nullptr)(answer.toSdp());
  } catch (const sdp::SdpError& e) {
    std::exchange(onError_, nullptr)("sdp_rejected", e.what());
  }
}

bool EchoSession::addRemoteCandidate(const std::string& sdpCandidate) {
  return transport_.addRemoteCandidate(sdpCandidate);
}

void EchoSession::onTransportCandidate(const std::string& sdpCandidate) {
  listener_.onEchoCandidate(sdpCandidate, firstMid_);
}

void EchoSession::onTransportConnected() { spdlog::info("echo {}: connected", transport_.localUfrag()); }

void EchoSession::onTransportClosed(std::string_view reason) { listener_.onEchoClosed(reason); }

void EchoSession::onRtp(media::rtp::RtpPacket& packet) {
  const uint8_t pt = packet.payloadType();
  SsrcMirror::Stream stream;
  if (pt == audioPt_) {
    stream = SsrcMirror::kAudio;
  } else if (pt == videoPt_) {
    stream = SsrcMirror::kVideo;
  } else if (pt == videoRtxPt_) {
    stream = SsrcMirror::kVideoRtx;
  } else {
    ++counters_.dropped;
    return;
  }
  const uint32_t ssrc = mirror_.learn(stream, packet.ssrc());
  const bool sent = transport_.sendRtp(packet.data(), packet.size(),
                                       [ssrc](media::rtp::RtpPacket& copy) { copy.setSsrc(ssrc); });
  sent ? ++counters_.rtpEchoed : ++counters_.dropped;
}

void EchoSession::onRtcp(uint8_t* data, size_t len) {
  const size_t mirrored = mirror_.mirrorRtcp(data, len);
  if (mirrored == 0) return;
  if (transport_.sendRtcp(data, mirrored)) ++counters_.rtcpEchoed;
}

}  // namespace diemcau::bridge
