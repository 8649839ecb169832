#include "bridge/room/PublishedTrack.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include <spdlog/spdlog.h>

#include "bridge/bwe/FrameSize.hpp"
#include "bridge/room/DownTrack.hpp"
#include "media/rtp/Fir.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/H264Payload.hpp"
#include "media/rtp/Pli.hpp"
#include "media/rtp/Rtx.hpp"
#include "media/rtp/Vp8PayloadDescriptor.hpp"
#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/SdpText.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

namespace {

// About a second of video at the bitrates of a weak link (a 2.5 Mbit/s stream sends ~230 packets a
// second); 512 slots of 1500 bytes are 768 KiB per published video track, allocated once.
constexpr size_t kVideoHistoryPackets = 512;
// Past a second a receiver's jitter buffer has given the packet up (and asked for a keyframe).
constexpr int64_t kVideoHistoryAgeUs = 1'000'000;
// One NACK message's worth of sequence numbers per batch; the rest waits for the next packet.
constexpr size_t kNackBatch = 64;

}  // namespace

PublishedTrack::PublishedTrack(TrackInfo info, const media::sdp::NegotiatedMedia& media,
                               media::WebRtcTransport& upstream, uint32_t bridgeSsrc)
    : info_(std::move(info)),
      mid_(media.mid),
      payloadType_(media.payloadType),
      rtxPayloadType_(media.rtxPayloadType ? *media.rtxPayloadType : -1),
      clockRate_(media.clockRate),
      h264_(media::sdp::text::equalsIgnoreCase(media.codecName, "H264")),
      vp8_(info_.kind == TrackKind::Video && media::sdp::text::equalsIgnoreCase(info_.codec, "VP8")),
      pli_(media.feedback.pli),
      fir_(media.feedback.fir),
      upstream_(upstream),
      bridgeSsrc_(bridgeSsrc),
      stats_(media.clockRate),
      publisherNacks_(media.feedback.nack) {
  // a=ssrc-group:FID names media then RTX (RFC 4588 section 8.7); a lone a=ssrc is the media.
  for (const auto& group : media.remoteSsrcGroups) {
    if (group.semantics == "FID" && group.ssrcs.size() == 2) {
      mediaSsrc_ = group.ssrcs[0];
      rtxSsrc_ = group.ssrcs[1];
    }
  }
  if (mediaSsrc_ == 0 && media.remoteSsrcs.size() == 1) mediaSsrc_ = media.remoteSsrcs[0];
  if (const auto id = media.extensionId(media::sdp::uri::kRid); id && *id >= 1 && *id <= 255) {
    ridExtensionId_ = static_cast<uint8_t>(*id);
  }
  if (const auto id = media.extensionId(media::sdp::uri::kRepairedRid); id && *id >= 1 && *id <= 255) {
    repairedRidExtensionId_ = static_cast<uint8_t>(*id);
  }
  // Extension ids are 1..14 in the one-byte form and 1..255 in the two-byte form (RFC 8285 section 4).
  if (const auto id = media.extensionId(media::sdp::uri::kAudioLevel); id && !isVideo() && *id >= 1 && *id <= 255) {
    audioLevelId_ = static_cast<uint8_t>(*id);
  }
}

PublishedTrack::~PublishedTrack() {
  for (DownTrack* down : downTracks_) down->onSourceGone();
}

void PublishedTrack::setRid(std::string rid, int layer) {
  rid_ = std::move(rid);
  layer_ = layer;
  // The SDP's SSRCs (if any) cannot be told apart by layer; the rid extension can.
  mediaSsrc_ = 0;
  rtxSsrc_ = 0;
}

void PublishedTrack::adoptLayer(std::unique_ptr<PublishedTrack> layer) {
  layers_.push_back(layer.get());
  ownedLayers_.push_back(std::move(layer));
}

namespace {

bool carriesRid(const rtp::RtpPacket& packet, uint8_t extensionId, const std::string& rid) {
  if (extensionId == 0) return false;
  const auto value = packet.extension(extensionId);
  return !value.empty() && std::string_view(reinterpret_cast<const char*>(value.data()), value.size()) == rid;
}

}  // namespace

bool PublishedTrack::accepts(const rtp::RtpPacket& packet) {
  const uint32_t ssrc = packet.ssrc();
  if (ssrc == mediaSsrc_ || (ssrc == rtxSsrc_ && rtxSsrc_ != 0)) return true;
  if (!rid_.empty()) {
    // RFC 8852 section 3: the rid names the stream, the repaired rid the RTX stream repairing it.
    if (mediaSsrc_ == 0 && carriesRid(packet, ridExtensionId_, rid_)) {
      mediaSsrc_ = ssrc;
      return true;
    }
    if (rtxSsrc_ == 0 && carriesRid(packet, repairedRidExtensionId_, rid_)) {
      rtxSsrc_ = ssrc;
      return true;
    }
    return false;
  }
  const uint8_t pt = packet.payloadType();
  if (pt == payloadType_ && mediaSsrc_ == 0) {
    mediaSsrc_ = ssrc;
    return true;
  }
  if (pt == rtxPayloadType_ && rtxSsrc_ == 0) {
    rtxSsrc_ = ssrc;
    return true;
  }
  return false;
}

void PublishedTrack::onRtp(rtp::RtpPacket& packet, int64_t nowUs) {
  if (packet.ssrc() == rtxSsrc_ && rtxSsrc_ != 0) {
    onRetransmission(packet, nowUs);
    return;
  }
  if (packet.payloadType() != payloadType_) return;  // a second codec the answer did not choose
  ++counters_.packets;
  bitrate_.add(packet.size(), nowUs);
  counters_.bytes += packet.size();
  stats_.onPacket(packet.sequence(), packet.timestamp(), nowUs);
  if (history_) {
    history_->store(packet, nowUs);
    if (nackGenerator_ && nackGenerator_->onPacket(packet.sequence(), nowUs) == NackGenerator::Arrival::Recovered) {
      ++counters_.recovered;  // late, not lost: forwarded below like any packet
    }
    sendDueNacks(nowUs);
  }
  if (muted_) {
    ++counters_.droppedMuted;
    return;
  }
  // A chair-muted participant does not compete for the floor of the speaker detection.
  if (audioLevelId_ != 0) {
    if (const auto level = packet.audioLevel(audioLevelId_)) levels_.onLevel(*level);
  }
  const bool keyframe = isVideo() && isKeyframe(packet);
  if (keyframe) onKeyframePacket(packet);
  // Recorded as the meeting heard it: after the chair mute, before any downstream rewriting (a
  // DownTrack rewrites a copy, so the publisher's numbering and timestamps reach the recorder).
  if (recorderSink_ != nullptr) recorderSink_->onRtp({packet.data(), packet.size()});
  if (suppressed_) {
    ++counters_.droppedLastN;
    return;
  }
  fanOut(packet, keyframe, nowUs);
}

void PublishedTrack::onKeyframePacket(const rtp::RtpPacket& packet) {
  ++counters_.keyframes;
  keyframes_.onKeyframe();
  receiverKeyframes_.onKeyframe();
  if (!h264_) {
    if (const auto size = vp8KeyframeSize(packet.payload())) frameHeight_ = size->height;
  }
}

void PublishedTrack::fanOut(const rtp::RtpPacket& packet, bool keyframe, int64_t nowUs) {
  // Every receiver rewrites the picture numbering of its copy: the descriptor is parsed once here.
  std::optional<rtp::Vp8PayloadDescriptor> vp8;
  if (vp8_ && !downTracks_.empty()) vp8 = rtp::Vp8PayloadDescriptor::parse(packet.payload());
  // Each receiver's state is asked from memory two receivers ahead, its send path one ahead
  // (DownTrack::prefetchState, prefetchSendPath): with hundreds of receivers it is not in cache,
  // and without this each of its objects would be a miss waited for in turn.
  const size_t count = downTracks_.size();
  if (count > 0) downTracks_[0]->prefetchState();
  if (count > 1) downTracks_[1]->prefetchState();
  if (count > 0) downTracks_[0]->prefetchSendPath(nowUs);
  for (size_t i = 0; i < count; ++i) {
    if (i + 2 < count) downTracks_[i + 2]->prefetchState();
    if (i + 1 < count) downTracks_[i + 1]->prefetchSendPath(nowUs);
    DownTrack* const down = downTracks_[i];
    // A copy of a keyframe start the receiver already has does not open its segment again.
    const bool openedBefore = keyframe && down->segmentStartsAt(packet);
    down->forward(packet, keyframe, nowUs, vp8);
    if (keyframe && history_ && !openedBefore && down->segmentStartsAt(packet)) replayFrame(*down, packet, nowUs);
  }
}

// A keyframe start that arrives late (repaired, or reordered) opens a waiting receiver's segment
// after the rest of its frame went by and was dropped at that receiver's keyframe gate. The rest
// follows it from the history, in order, as long as the held packets carry the start's timestamp
// (RFC 3550 section 5.1: the packets of one frame share it); the first one missing ends it and the
// receiver NACKs the gap like any other. For a keyframe arriving in order the next packet is not
// held yet: one lookup. At most the history's capacity, no allocation.
void PublishedTrack::replayFrame(DownTrack& down, const rtp::RtpPacket& start, int64_t nowUs) {
  const uint32_t timestamp = start.timestamp();
  uint16_t sequence = start.sequence();
  std::optional<rtp::RtpPacket> held;
  for (size_t i = 0; i < history_->capacity(); ++i) {
    ++sequence;
    if (history_->find(sequence, nowUs, 0, held) != RtpPacketHistory::Lookup::Found) return;
    if (held->timestamp() != timestamp || held->ssrc() != start.ssrc()) return;
    const auto vp8 = vp8_ ? rtp::Vp8PayloadDescriptor::parse(held->payload()) : std::nullopt;
    down.forward(*held, /*keyframe=*/false, nowUs, vp8);
  }
}

void PublishedTrack::enableRetransmission() {
  if (!isVideo() || history_) return;
  history_ = std::make_unique<RtpPacketHistory>(kVideoHistoryPackets, kVideoHistoryAgeUs);
  if (publisherNacks_) nackGenerator_ = std::make_unique<NackGenerator>();
}

RtpPacketHistory::Lookup PublishedTrack::findForRetransmission(uint16_t sequence, int64_t nowUs, int64_t oneWayUs,
                                                               std::optional<rtp::RtpPacket>& out) {
  if (!history_ || muted_) return RtpPacketHistory::Lookup::Missing;
  return history_->find(sequence, nowUs, oneWayUs, out);
}

// RFC 4588 section 4: the RTX stream repairs the media stream. Without retransmission the bridge
// never asks, so whatever arrives there (padding probes) is dropped.
void PublishedTrack::onRetransmission(const rtp::RtpPacket& rtx, int64_t nowUs) {
  if (!history_ || mediaSsrc_ == 0) return;
  const size_t len = rtp::restoreFromRtx(restoreBuffer_, rtx, mediaSsrc_, payloadType_);
  if (len == 0) return;  // padding only
  auto packet = rtp::RtpPacket::parse(restoreBuffer_.data(), len);
  if (!packet) return;
  ++counters_.retransmissions;
  // A packet held already (a bandwidth probe resending old media, a second answer) or one so old
  // its slot holds a newer packet: nobody needs it.
  if (history_->contains(packet->sequence()) || !history_->store(*packet, nowUs)) {
    ++counters_.duplicateRepairs;
    return;
  }
  if (nackGenerator_) nackGenerator_->onPacket(packet->sequence(), nowUs);
  ++counters_.recovered;
  forwardRecovered(*packet, nowUs);
}

// Every receiver missed what the bridge missed: the repair goes to all in its place. A repaired
// keyframe start is a keyframe like any other: it answers the pending keyframe requests, and a
// receiver waiting for one starts there and gets the rest of the frame from the history (fanOut).
void PublishedTrack::forwardRecovered(rtp::RtpPacket& packet, int64_t nowUs) {
  if (muted_) return;
  const bool keyframe = isVideo() && isKeyframe(packet);
  if (keyframe) onKeyframePacket(packet);
  if (recorderSink_ != nullptr) recorderSink_->onRtp({packet.data(), packet.size()});
  if (suppressed_) return;
  fanOut(packet, keyframe, nowUs);
}

void PublishedTrack::sendDueNacks(int64_t nowUs) {
  if (!nackGenerator_) return;
  if (nackGenerator_->due(nowUs)) {
    std::array<uint16_t, kNackBatch> due{};
    const size_t count = nackGenerator_->collect(nowUs, due);
    if (count > 0) {
      writeNack(std::span(due.data(), count));
      counters_.nackedUpstream += count;
    }
  }
  if (nackGenerator_->takeKeyframeRequest()) {
    ++counters_.keyframeFallbacks;
    requestKeyframe(nowUs);
  }
}

bool PublishedTrack::isKeyframe(const rtp::RtpPacket& packet) const {
  return h264_ ? rtp::isH264Keyframe(packet.payload()) : rtp::isVp8Keyframe(packet.payload());
}

void PublishedTrack::onSenderReport(const rtp::SenderReport& report, int64_t nowUs) {
  stats_.onSenderReport(report.compactNtp(), nowUs);
}

void PublishedTrack::attach(DownTrack& down) {
  if (std::find(downTracks_.begin(), downTracks_.end(), &down) == downTracks_.end()) downTracks_.push_back(&down);
}

void PublishedTrack::detach(DownTrack& down) { std::erase(downTracks_, &down); }

void PublishedTrack::setMuted(bool muted) {
  if (muted == muted_) return;
  const bool paused = muted_ || suppressed_;
  muted_ = muted;
  if (paused != (muted_ || suppressed_)) {
    for (DownTrack* down : downTracks_) down->setSourceMuted(muted_ || suppressed_);
  }
}

void PublishedTrack::setSuppressed(bool suppressed) {
  if (suppressed == suppressed_) return;
  const bool paused = muted_ || suppressed_;
  suppressed_ = suppressed;
  if (paused != (muted_ || suppressed_)) {
    for (DownTrack* down : downTracks_) down->setSourceMuted(muted_ || suppressed_);
  }
}

void PublishedTrack::requestKeyframe(int64_t nowUs) {
  if (!isVideo()) return;
  keyframes_.request();
  onTick(nowUs);
}

void PublishedTrack::requestKeyframeForReceiver(int64_t nowUs) {
  if (!isVideo()) return;
  receiverKeyframes_.request();
  onTick(nowUs);
}

void PublishedTrack::requestKeyframeForNewConnection(int64_t nowUs) {
  if (!isVideo()) return;
  keyframes_.requestForNewConnection();
  onTick(nowUs);
}

void PublishedTrack::onTick(int64_t nowUs) {
  sendDueNacks(nowUs);  // also when no packet arrives to trigger it
  if (!isVideo() || mediaSsrc_ == 0 || !pollEither(keyframes_, receiverKeyframes_, nowUs)) return;
  std::array<uint8_t, 32> buffer{};
  size_t len = 0;
  if (pli_ || !fir_) {
    // PLI also when neither was negotiated: every WebRTC sender answers it.
    len = rtp::Pli::write(buffer, bridgeSsrc_, mediaSsrc_);
    ++counters_.plisSent;
  } else {
    // RFC 5104 section 4.3.1.2: a new request increments the command sequence number.
    const rtp::FirEntry entry{mediaSsrc_, firSequence_++};
    len = rtp::Fir::write(buffer, bridgeSsrc_, std::span(&entry, 1));
    ++counters_.firsSent;
  }
  if (len != 0) upstream_.sendRtcp(buffer.data(), len);
  // At most one per rate-limit interval per track, never per packet.
  spdlog::debug("track {}{}{}: keyframe requested ({} sent for switches and new connections, {} of them early; {} for "
                "receivers' own requests, {} of them retries after a keyframe that did not serve them)", info_.id,
                rid_.empty() ? "" : " rid ", rid_, keyframes_.sent(), keyframes_.sentEarly(), receiverKeyframes_.sent(),
                receiverKeyframes_.sentRetries());
}

void PublishedTrack::sendNack(std::span<const uint16_t> sequences) {
  if (!nackGenerator_) {
    writeNack(sequences);
    return;
  }
  std::array<uint16_t, kNackBatch> notChased{};
  size_t count = 0;
  for (const uint16_t sequence : sequences) {
    if (!nackGenerator_->pending(sequence) && count < notChased.size()) notChased[count++] = sequence;
  }
  writeNack(std::span(notChased.data(), count));
  counters_.nackedUpstream += count;
}

void PublishedTrack::writeNack(std::span<const uint16_t> sequences) {
  if (sequences.empty() || mediaSsrc_ == 0) return;
  // 12 bytes of header and at most one 4-byte FCI per sequence number (RFC 4585 section 6.2.1).
  std::array<uint8_t, 12 + 4 * kNackBatch> buffer{};
  const size_t len = rtp::GenericNack::write(buffer, bridgeSsrc_, mediaSsrc_, sequences);
  if (len != 0 && upstream_.sendRtcp(buffer.data(), len)) ++counters_.nacksSent;
}

}  // namespace diemcau::bridge
