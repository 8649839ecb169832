#include "bridge/bwe/Vp8Continuity.hpp"

#include "media/rtp/Vp8PayloadDescriptor.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

namespace {

constexpr uint16_t kPictureMask = 0x7FFF;

// RFC 1982-style order in the 15-bit picture id space.
bool pictureNewer(uint16_t a, uint16_t b) {
  const auto diff = static_cast<uint16_t>((a - b) & kPictureMask);
  return diff != 0 && diff < 0x4000;
}

}  // namespace

void Vp8Continuity::rewrite(std::span<uint8_t> payload) { rewrite(payload, rtp::Vp8PayloadDescriptor::parse(payload)); }

void Vp8Continuity::rewrite(std::span<uint8_t> payload, const std::optional<rtp::Vp8PayloadDescriptor>& descriptor) {
  if (!descriptor || !descriptor->pictureId) return;  // nothing to keep continuous
  const uint16_t source = *descriptor->pictureId;
  if (resync_) {
    const auto next = static_cast<uint16_t>(started_ ? (lastPictureId_ + 1) & kPictureMask : source);
    pictureOffset_ = static_cast<uint16_t>((next - source) & kPictureMask);
    if (descriptor->tl0PicIdx) {
      const auto nextTl0 = static_cast<uint8_t>(started_ ? lastTl0_ + 1 : *descriptor->tl0PicIdx);
      tl0Offset_ = static_cast<uint8_t>(nextTl0 - *descriptor->tl0PicIdx);
    }
    resync_ = false;
    // Only a packet that takes part in the order may restart it: the first one of a segment.
    lastPictureId_ = next;
    if (descriptor->tl0PicIdx) lastTl0_ = static_cast<uint8_t>(*descriptor->tl0PicIdx + tl0Offset_);
    started_ = true;
  }
  const auto out = static_cast<uint16_t>((source + pictureOffset_) & kPictureMask);
  rtp::setVp8PictureId(payload, *descriptor, out);
  if (pictureNewer(out, lastPictureId_)) lastPictureId_ = out;
  if (descriptor->tl0PicIdx) {
    const auto tl0 = static_cast<uint8_t>(*descriptor->tl0PicIdx + tl0Offset_);
    rtp::setVp8Tl0PicIdx(payload, *descriptor, tl0);
    if (static_cast<uint8_t>(tl0 - lastTl0_) < 0x80) lastTl0_ = tl0;
  }
}

void Vp8Continuity::translate(std::span<uint8_t> payload) const {
  if (resync_ || !started_) return;
  const auto descriptor = rtp::Vp8PayloadDescriptor::parse(payload);
  if (!descriptor || !descriptor->pictureId) return;
  rtp::setVp8PictureId(payload, *descriptor, static_cast<uint16_t>((*descriptor->pictureId + pictureOffset_) & kPictureMask));
  if (descriptor->tl0PicIdx) {
    rtp::setVp8Tl0PicIdx(payload, *descriptor, static_cast<uint8_t>(*descriptor->tl0PicIdx + tl0Offset_));
  }
}

}  // namespace diemcau::bridge
