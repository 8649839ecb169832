#include "bridge/room/DownTrack.hpp"

#include <array>

#include "bridge/room/PublishedTrack.hpp"
#include "bridge/room/RtcpReports.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

DownTrack::DownTrack(PublishedTrack& source, media::WebRtcTransport& transport, std::string mid, uint32_t ssrc,
                     uint32_t rtxSsrc, uint16_t initialSequence, uint32_t initialTimestamp)
    : source_(&source),
      transport_(transport),
      mid_(std::move(mid)),
      ssrc_(ssrc),
      rtxSsrc_(rtxSsrc),
      rtxSequence_(static_cast<uint16_t>(initialSequence ^ 0x5A5A)),
      rewriter_(source.clockRate(), source.isVideo(), initialSequence, initialTimestamp) {
  source.attach(*this);
  if (source.muted() || source.suppressed()) setSourceMuted(true);
}

DownTrack::~DownTrack() {
  if (source_ != nullptr) source_->detach(*this);
}

void DownTrack::setNegotiated(const media::sdp::NegotiatedMedia& media) {
  payloadType_ = media.payloadType;
  rtxPayloadType_ = media.rtxPayloadType ? *media.rtxPayloadType : -1;
  negotiated_ = true;
}

bool DownTrack::ready() const {
  return negotiated_ && transport_.state() == media::TransportState::Connected;
}

void DownTrack::forward(const rtp::RtpPacket& packet, bool keyframe, int64_t nowUs) {
  if (!ready()) {
    ++counters_.droppedNotReady;
    return;
  }
  RtpRewriter::Header header;
  switch (rewriter_.rewrite(packet.ssrc(), packet.sequence(), packet.timestamp(), keyframe, nowUs, header)) {
    case RtpRewriter::Result::Forward: break;
    case RtpRewriter::Result::Paused: ++counters_.droppedPaused; return;
    case RtpRewriter::Result::WaitingKeyframe: ++counters_.droppedWaitingKeyframe; return;
    case RtpRewriter::Result::Stale: ++counters_.droppedStale; return;
  }
  const uint32_t ssrc = ssrc_;
  const uint8_t pt = payloadType_;
  const bool sent = transport_.sendRtp(packet.data(), packet.size(), [&](rtp::RtpPacket& out) {
    out.setSsrc(ssrc);
    out.setSequence(header.sequence);
    out.setTimestamp(header.timestamp);
    out.setPayloadType(pt);
  });
  if (!sent) {
    ++counters_.sendFailures;
    return;
  }
  ++counters_.packetsSent;
  counters_.bytesSent += packet.payload().size();
}

void DownTrack::forwardRetransmission(const rtp::RtpPacket& packet, uint16_t originalSequence, int64_t nowUs) {
  (void)nowUs;
  if (!ready() || rtxPayloadType_ < 0 || rewriter_.paused()) return;
  const auto outputSequence = rewriter_.toOutput(originalSequence);
  if (!outputSequence) return;  // repairs a packet this receiver never had in this segment
  const uint32_t ssrc = rtxSsrc_;
  const auto pt = static_cast<uint8_t>(rtxPayloadType_);
  const uint16_t sequence = rtxSequence_;
  const uint32_t timestamp = packet.timestamp() + rewriter_.timestampOffset();
  const bool sent = transport_.sendRtp(packet.data(), packet.size(), [&](rtp::RtpPacket& out) {
    out.setSsrc(ssrc);
    out.setSequence(sequence);
    out.setTimestamp(timestamp);
    out.setPayloadType(pt);
    auto payload = out.payload();  // at least the 2-byte OSN, checked by the source
    payload[0] = static_cast<uint8_t>(*outputSequence >> 8);
    payload[1] = static_cast<uint8_t>(*outputSequence & 0xFF);
  });
  if (sent) {
    ++rtxSequence_;
    ++counters_.retransmissionsSent;
  }
}

void DownTrack::setSourceMuted(bool muted) {
  if (muted == sourceMuted_) return;
  sourceMuted_ = muted;
  muted ? rewriter_.pause() : rewriter_.resume();
}

void DownTrack::onKeyframeRequest(int64_t nowUs) {
  ++counters_.keyframeRequests;
  if (source_ != nullptr) source_->requestKeyframe(nowUs);
}

void DownTrack::onNack(const rtp::GenericNack& nack) {
  // Bounded: the publisher gets at most this many per NACK message (one RTP packet's worth is plenty).
  std::array<uint16_t, 64> lost{};
  size_t count = 0;
  nack.forEachLost([&](uint16_t sequence) {
    const auto original = rewriter_.toSource(sequence);
    if (original && count < lost.size()) lost[count++] = *original;
  });
  counters_.nackedPackets += count;
  if (source_ != nullptr && count > 0) source_->sendNack(std::span(lost.data(), count));
}

std::optional<uint32_t> DownTrack::onReportBlock(const rtp::ReportBlock& block, uint32_t compactNow) {
  return roundTripMs(block, compactNow);
}

size_t DownTrack::writeSenderReport(std::span<uint8_t> out, int64_t nowUs, uint64_t ntpNow,
                                    std::string_view cname) const {
  if (!rewriter_.started()) return 0;
  rtp::SenderInfo info;
  info.ssrc = ssrc_;
  info.ntpTimestamp = ntpNow;
  info.rtpTimestamp =
      extrapolateTimestamp(rewriter_.lastTimestamp(), rewriter_.lastForwardUs(), nowUs, rewriter_.clockRate());
  info.packetCount = static_cast<uint32_t>(counters_.packetsSent);
  info.octetCount = static_cast<uint32_t>(counters_.bytesSent);
  return writeSenderReportCompound(out, info, cname);
}

}  // namespace diemcau::bridge
