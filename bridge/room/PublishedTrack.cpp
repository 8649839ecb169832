#include "bridge/room/PublishedTrack.hpp"

#include <algorithm>
#include <array>

#include "bridge/room/DownTrack.hpp"
#include "media/rtp/Fir.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/H264Payload.hpp"
#include "media/rtp/Pli.hpp"
#include "media/rtp/Vp8PayloadDescriptor.hpp"
#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/SdpText.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

PublishedTrack::PublishedTrack(TrackInfo info, const media::sdp::NegotiatedMedia& media,
                               media::WebRtcTransport& upstream, uint32_t bridgeSsrc)
    : info_(std::move(info)),
      mid_(media.mid),
      payloadType_(media.payloadType),
      rtxPayloadType_(media.rtxPayloadType ? *media.rtxPayloadType : -1),
      clockRate_(media.clockRate),
      h264_(media::sdp::text::equalsIgnoreCase(media.codecName, "H264")),
      pli_(media.feedback.pli),
      fir_(media.feedback.fir),
      upstream_(upstream),
      bridgeSsrc_(bridgeSsrc),
      stats_(media.clockRate) {
  // a=ssrc-group:FID names media then RTX (RFC 4588 section 8.7); a lone a=ssrc is the media.
  for (const auto& group : media.remoteSsrcGroups) {
    if (group.semantics == "FID" && group.ssrcs.size() == 2) {
      mediaSsrc_ = group.ssrcs[0];
      rtxSsrc_ = group.ssrcs[1];
    }
  }
  if (mediaSsrc_ == 0 && media.remoteSsrcs.size() == 1) mediaSsrc_ = media.remoteSsrcs[0];
  // Extension ids are 1..14 in the one-byte form and 1..255 in the two-byte form (RFC 8285 section 4).
  if (const auto id = media.extensionId(media::sdp::uri::kAudioLevel); id && !isVideo() && *id >= 1 && *id <= 255) {
    audioLevelId_ = static_cast<uint8_t>(*id);
  }
}

PublishedTrack::~PublishedTrack() {
  for (DownTrack* down : downTracks_) down->onSourceGone();
}

bool PublishedTrack::accepts(const rtp::RtpPacket& packet) {
  const uint32_t ssrc = packet.ssrc();
  if (ssrc == mediaSsrc_ || (ssrc == rtxSsrc_ && rtxSsrc_ != 0)) return true;
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
    forwardRetransmission(packet, nowUs);
    return;
  }
  if (packet.payloadType() != payloadType_) return;  // a second codec the answer did not choose
  ++counters_.packets;
  counters_.bytes += packet.size();
  stats_.onPacket(packet.sequence(), packet.timestamp(), nowUs);
  if (muted_) {
    ++counters_.droppedMuted;
    return;
  }
  // A chair-muted participant does not compete for the floor of the speaker detection.
  if (audioLevelId_ != 0) {
    if (const auto level = packet.audioLevel(audioLevelId_)) levels_.onLevel(*level);
  }
  const bool keyframe = isVideo() && isKeyframe(packet);
  if (keyframe) {
    ++counters_.keyframes;
    keyframes_.onKeyframe();
  }
  // Recorded as the meeting heard it: after the chair mute, before any downstream rewriting (a
  // DownTrack rewrites a copy, so the publisher's numbering and timestamps reach the recorder).
  if (recorderSink_ != nullptr) recorderSink_->onRtp({packet.data(), packet.size()});
  if (suppressed_) {
    ++counters_.droppedLastN;
    return;
  }
  for (DownTrack* down : downTracks_) down->forward(packet, keyframe, nowUs);
}

void PublishedTrack::forwardRetransmission(const rtp::RtpPacket& packet, int64_t nowUs) {
  const auto payload = packet.payload();
  if (payload.size() < 2 || muted_ || suppressed_) return;  // RFC 4588 section 4: OSN, then the original payload
  ++counters_.retransmissions;
  const auto original = static_cast<uint16_t>((payload[0] << 8) | payload[1]);
  for (DownTrack* down : downTracks_) down->forwardRetransmission(packet, original, nowUs);
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

void PublishedTrack::onTick(int64_t nowUs) {
  if (!isVideo() || mediaSsrc_ == 0 || !keyframes_.poll(nowUs)) return;
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
}

void PublishedTrack::sendNack(std::span<const uint16_t> sequences) {
  if (sequences.empty() || mediaSsrc_ == 0) return;
  std::array<uint8_t, 256> buffer{};
  const size_t len = rtp::GenericNack::write(buffer, bridgeSsrc_, mediaSsrc_, sequences);
  if (len != 0 && upstream_.sendRtcp(buffer.data(), len)) ++counters_.nacksSent;
}

}  // namespace diemcau::bridge
