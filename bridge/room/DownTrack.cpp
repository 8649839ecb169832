#include "bridge/room/DownTrack.hpp"

#include <algorithm>
#include <array>

#include "bridge/room/PublishedTrack.hpp"
#include "bridge/room/RtcpReports.hpp"
#include "media/rtp/Rtx.hpp"
#include "media/sdp/SdpText.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

namespace {

// Floor of the per-receiver resend spacing: a receiver on a LAN repeats NACKs faster than its RTT
// says it should while frames are being reassembled.
constexpr int64_t kMinResendIntervalUs = 10'000;

}  // namespace

DownTrack::DownTrack(PublishedTrack& source, media::WebRtcTransport& transport, std::string mid, uint32_t ssrc,
                     uint32_t rtxSsrc, uint16_t initialSequence, uint32_t initialTimestamp)
    : source_(&source),
      transport_(transport),
      ssrc_(ssrc),
      rewriter_(source.clockRate(), source.isVideo(), initialSequence, initialTimestamp),
      nackLoss_(source.isVideo()),
      mid_(std::move(mid)),
      rtxSsrc_(rtxSsrc),
      rtxSequence_(static_cast<uint16_t>(initialSequence ^ 0x5A5A)) {
  source.attach(*this);
  // Every layer of a simulcast source fans out to this track; the selector picks one.
  video_ = source.isVideo();
  vp8_ = video_ && media::sdp::text::equalsIgnoreCase(source.info().codec, "VP8");
  layers_ = source.layers();
  for (PublishedTrack* layer : layers_) {
    if (layer != &source) layer->attach(*this);
  }
  if (video_) selector_.setTarget(0);
  if (source.muted() || source.suppressed()) setSourceMuted(true);
}

DownTrack::~DownTrack() {
  if (source_ != nullptr) source_->detach(*this);
  for (PublishedTrack* layer : layers_) {
    if (layer != source_) layer->detach(*this);
  }
}

void DownTrack::onSourceGone() {
  // Called by the routed track while its layers (which it owns) are still alive.
  for (PublishedTrack* layer : layers_) {
    if (layer != source_) layer->detach(*this);
  }
  layers_.clear();
  source_ = nullptr;
}

PublishedTrack* DownTrack::forwarding() const {
  const int current = selector_.current();
  if (current >= 0 && static_cast<size_t>(current) < layers_.size()) return layers_[static_cast<size_t>(current)];
  return source_;
}

void DownTrack::onTick(int64_t nowUs) {
  const int target = selector_.target();
  if (!video_ || !selector_.switching() || !ready() || static_cast<size_t>(target) >= layers_.size()) return;
  layers_[static_cast<size_t>(target)]->requestKeyframe(nowUs);  // rate-limited per layer
}

DownTrack::LossDelta DownTrack::lossSince(const rtp::ReportBlock& block) {
  LossDelta delta;
  if (reported_) {
    // RFC 3550 section 6.4.1 / A.3: expected and lost over the interval between two reports.
    const auto expected = static_cast<int64_t>(block.highestSeq - reportedHighest_);
    const int64_t lost = static_cast<int64_t>(block.cumulativeLost) - reportedLost_;
    if (expected > 0 && expected < 0x10000) {
      delta.expected = static_cast<uint64_t>(expected);
      delta.lost = static_cast<uint64_t>(std::clamp<int64_t>(lost, 0, expected));
    }
  }
  reported_ = true;
  reportedHighest_ = block.highestSeq;
  reportedLost_ = block.cumulativeLost;
  return delta;
}

void DownTrack::setNegotiated(const media::sdp::NegotiatedMedia& media) {
  payloadType_ = media.payloadType;
  rtxPayloadType_ = media.rtxPayloadType ? *media.rtxPayloadType : -1;
  nackNegotiated_ = media.feedback.nack;
  negotiated_ = true;
}

bool DownTrack::ready() const {
  return negotiated_ && transport_.state() == media::TransportState::Connected;
}

void DownTrack::forward(const rtp::RtpPacket& packet, bool keyframe, int64_t nowUs,
                        const std::optional<rtp::Vp8PayloadDescriptor>& vp8) {
  if (!ready()) {
    ++counters_.droppedNotReady;
    return;
  }
  if (video_) {
    // The layer is the packet's SSRC's place among the source's layers (at most four).
    int layer = 0;
    for (size_t i = 0; i < layers_.size(); ++i) {
      if (layers_[i]->mediaSsrc() == packet.ssrc()) layer = static_cast<int>(i);
    }
    switch (selector_.onPacket(layer, keyframe)) {
      case LayerSelector::Decision::Forward: break;
      case LayerSelector::Decision::Switch:
        rewriter_.switchSource();
        vp8Numbering_.onSwitch();
        break;
      case LayerSelector::Decision::Drop: ++counters_.droppedLayer; return;
    }
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
    if (!vp8_) return;
    // The copy being sent, in place (its descriptor is where the source packet's is).
    vp8Numbering_.rewrite(out.payload(), vp8);
  });
  if (!sent) {
    ++counters_.sendFailures;
    return;
  }
  // The send path's lines are taken again now and then: its objects can change (a new SRTP
  // session, a stream table that grew), and a stale line is only a wasted prefetch.
  if ((counters_.packetsSent++ & 63) == 0) {
    sendLines_.clear();
    transport_.addSendLines(sendLines_);
  }
  counters_.bytesSent += packet.payload().size();
  nackLoss_.onSent(header.sequence, packet.size(), nowUs);
}

void DownTrack::prefetchState() const noexcept {
  // source_ (the first member) up to nackLoss_'s head (its slot pointer); its buckets are asked for
  // by prefetchSendPath.
  media::CacheLines::prefetchMembers(source_, nackLoss_.slotsHead());
}

void DownTrack::prefetchSendPath(int64_t nowUs) const noexcept {
  sendLines_.prefetch();
  __builtin_prefetch(layers_.data(), 0, 3);
  nackLoss_.prefetch(static_cast<uint16_t>(rewriter_.lastSequence() + 1), nowUs);
}

void DownTrack::retransmit(const rtp::RtpPacket& original, uint16_t outputSequence, int64_t nowUs) {
  // Once per round trip at most: a repeated NACK inside one is answered by the repair in flight.
  if (!resent_.allow(outputSequence, nowUs, std::max<int64_t>(rttUs_, kMinResendIntervalUs))) {
    ++counters_.retransmitSuppressed;
    return;
  }
  const uint32_t timestamp = original.timestamp() + rewriter_.timestampOffset();
  bool sent = false;
  if (rtxPayloadType_ >= 0 && rtxSsrc_ != 0) {
    // RFC 4588 section 4: own SSRC, payload type and sequence; the OSN in the receiver's numbering.
    std::array<uint8_t, RtpPacketHistory::kSlotSize + 2> buffer{};
    const rtp::RtxHeader header{rtxSsrc_, static_cast<uint8_t>(rtxPayloadType_), rtxSequence_, timestamp,
                                outputSequence};
    const size_t len = rtp::writeRtx(buffer, original, header);
    const auto* const numbering = vp8_ ? &vp8Numbering_ : nullptr;
    sent = len != 0 && transport_.sendRtp(buffer.data(), len, [numbering](rtp::RtpPacket& out) {
      // The repaired payload follows the two-byte OSN: it carries the picture id the receiver saw.
      if (numbering != nullptr && out.payload().size() > 2) numbering->translate(out.payload().subspan(2));
    });
    if (sent) ++rtxSequence_;
  } else {
    // No RTX in this section: the packet again, exactly as first sent (RFC 4585 section 3.6.1).
    const uint32_t ssrc = ssrc_;
    const uint8_t pt = payloadType_;
    sent = transport_.sendRtp(original.data(), original.size(), [&](rtp::RtpPacket& out) {
      out.setSsrc(ssrc);
      out.setSequence(outputSequence);
      out.setTimestamp(timestamp);
      out.setPayloadType(pt);
      if (vp8_) vp8Numbering_.translate(out.payload());
    });
  }
  if (sent) nackLoss_.onResent(original.size(), nowUs);
  sent ? ++counters_.retransmissionsSent : ++counters_.sendFailures;
}

void DownTrack::setSourceMuted(bool muted) {
  if (muted == sourceMuted_) return;
  sourceMuted_ = muted;
  muted ? rewriter_.pause() : rewriter_.resume();
  // A resume starts a new segment at a keyframe: its pictures follow the last one sent.
  if (!muted) vp8Numbering_.onSwitch();
}

void DownTrack::onKeyframeRequest(int64_t nowUs) {
  ++counters_.keyframeRequests;
  // The receiver's decoder needs a keyframe of what it is sent, or of what it is about to be sent.
  const int target = selector_.target();
  if (video_ && selector_.switching() && static_cast<size_t>(target) < layers_.size()) {
    layers_[static_cast<size_t>(target)]->requestKeyframeForReceiver(nowUs);
  } else if (PublishedTrack* layer = forwarding()) {
    layer->requestKeyframeForReceiver(nowUs);
  }
}

void DownTrack::onNack(const rtp::GenericNack& nack, int64_t nowUs) {
  // The current segment's numbers are those of the layer being forwarded.
  PublishedTrack* const from = forwarding();
  nackReceived_ = true;
  // Bounded: the publisher gets at most this many per NACK message (one RTP packet's worth is plenty).
  std::array<uint16_t, 64> lost{};
  size_t count = 0;
  nack.forEachLost([&](uint16_t sequence) {
    ++counters_.nackedPackets;
    if (from == nullptr || !ready() || rewriter_.paused()) return;
    if (!from->retransmission()) {
      nackLoss_.onNack(sequence, nowUs);  // no history to tell upstream loss apart: all counts
      return;
    }
    const auto original = rewriter_.toSource(sequence);
    if (!original) {
      nackLoss_.onNack(sequence, nowUs);  // sent, from an earlier segment
      ++counters_.retransmitUnavailable;  // before this segment: another source's packet
      return;
    }
    std::optional<rtp::RtpPacket> stored;
    const auto lookup = from->findForRetransmission(*original, nowUs, rttUs_ / 2, stored);
    // Held means the bridge had it, so the receiver's link lost it; missing means it never
    // reached the bridge, which says nothing about the receiver's link.
    if (lookup != RtpPacketHistory::Lookup::Missing) nackLoss_.onNack(sequence, nowUs);
    switch (lookup) {
      case RtpPacketHistory::Lookup::Found: retransmit(*stored, sequence, nowUs); break;
      case RtpPacketHistory::Lookup::TooOld: ++counters_.retransmitTooOld; break;
      case RtpPacketHistory::Lookup::Missing:
        ++counters_.retransmitUnavailable;
        if (count < lost.size()) lost[count++] = *original;
        break;
    }
  });
  if (count > 0) from->sendNack(std::span(lost.data(), count));
}

std::optional<uint32_t> DownTrack::onReportBlock(const rtp::ReportBlock& block, uint32_t compactNow) {
  auto rtt = roundTripMs(block, compactNow);
  if (rtt) rttUs_ = static_cast<int64_t>(*rtt) * 1000;
  return rtt;
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
