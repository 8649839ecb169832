#include "media/rtp/Vp8PayloadDescriptor.hpp"

namespace diemcau::media::rtp {

std::optional<Vp8PayloadDescriptor> Vp8PayloadDescriptor::parse(std::span<const uint8_t> payload) {
  if (payload.empty()) {
    return std::nullopt;
  }
  Vp8PayloadDescriptor d;
  const uint8_t b0 = payload[0];
  d.nonReference = (b0 & 0x20) != 0;
  d.startOfPartition = (b0 & 0x10) != 0;
  d.partitionId = b0 & 0x07;
  size_t pos = 1;
  if (b0 & 0x80) {
    if (pos >= payload.size()) {
      return std::nullopt;
    }
    const uint8_t x = payload[pos++];
    const bool hasI = (x & 0x80) != 0;
    const bool hasL = (x & 0x40) != 0;
    const bool hasT = (x & 0x20) != 0;
    const bool hasK = (x & 0x10) != 0;
    if (hasI) {
      if (pos >= payload.size()) {
        return std::nullopt;
      }
      d.pictureIdOffset = pos;
      if (payload[pos] & 0x80) {
        if (pos + 1 >= payload.size()) {
          return std::nullopt;
        }
        d.pictureId15Bit = true;
        d.pictureId = static_cast<uint16_t>(((payload[pos] & 0x7F) << 8) | payload[pos + 1]);
        pos += 2;
      } else {
        d.pictureId = payload[pos] & 0x7F;
        pos += 1;
      }
    }
    if (hasL) {
      if (pos >= payload.size()) {
        return std::nullopt;
      }
      d.tl0PicIdxOffset = pos;
      d.tl0PicIdx = payload[pos++];
    }
    if (hasT || hasK) {
      if (pos >= payload.size()) {
        return std::nullopt;
      }
      const uint8_t b = payload[pos++];
      if (hasT) {
        d.temporalId = static_cast<uint8_t>(b >> 6);
        d.layerSync = (b & 0x20) != 0;
      }
      if (hasK) {
        d.keyIdx = static_cast<uint8_t>(b & 0x1F);
      }
    }
  }
  // RFC 7741 §4.2: a descriptor is followed by at least one byte of VP8 data.
  if (pos >= payload.size()) {
    return std::nullopt;
  }
  d.size = pos;
  return d;
}

bool isVp8Keyframe(std::span<const uint8_t> payload) {
  const auto d = Vp8PayloadDescriptor::parse(payload);
  if (!d || !d->startOfPartition || d->partitionId != 0) {
    return false;
  }
  // RFC 7741 §4.3: the first byte of the VP8 payload header ends with P, the inverse key frame flag.
  return (payload[d->size] & 0x01) == 0;
}

std::optional<uint16_t> vp8PictureId(std::span<const uint8_t> payload) {
  const auto d = Vp8PayloadDescriptor::parse(payload);
  return d ? d->pictureId : std::nullopt;
}

std::optional<uint8_t> vp8Tl0PicIdx(std::span<const uint8_t> payload) {
  const auto d = Vp8PayloadDescriptor::parse(payload);
  return d ? d->tl0PicIdx : std::nullopt;
}

bool setVp8PictureId(std::span<uint8_t> payload, uint16_t pictureId) {
  const auto d = Vp8PayloadDescriptor::parse(payload);
  return d && setVp8PictureId(payload, *d, pictureId);
}

bool setVp8Tl0PicIdx(std::span<uint8_t> payload, uint8_t tl0PicIdx) {
  const auto d = Vp8PayloadDescriptor::parse(payload);
  return d && setVp8Tl0PicIdx(payload, *d, tl0PicIdx);
}

bool setVp8PictureId(std::span<uint8_t> payload, const Vp8PayloadDescriptor& d, uint16_t pictureId) {
  // The descriptor may come from another buffer: its offsets are checked against this one.
  if (!d.pictureId || d.pictureIdOffset + (d.pictureId15Bit ? 2 : 1) > payload.size()) {
    return false;
  }
  uint8_t* p = payload.data() + d.pictureIdOffset;
  if (d.pictureId15Bit) {
    p[0] = static_cast<uint8_t>(0x80 | ((pictureId >> 8) & 0x7F));
    p[1] = static_cast<uint8_t>(pictureId);
  } else {
    p[0] = static_cast<uint8_t>(pictureId & 0x7F);
  }
  return true;
}

bool setVp8Tl0PicIdx(std::span<uint8_t> payload, const Vp8PayloadDescriptor& d, uint8_t tl0PicIdx) {
  if (!d.tl0PicIdx || d.tl0PicIdxOffset >= payload.size()) {
    return false;
  }
  payload[d.tl0PicIdxOffset] = tl0PicIdx;
  return true;
}

}  // namespace diemcau::media::rtp
