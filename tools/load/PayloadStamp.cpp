#include "tools/load/PayloadStamp.hpp"

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::load {

bool PayloadStamp::writeTo(std::span<uint8_t> payload) const {
  if (payload.size() < kSize) return false;
  uint8_t* p = payload.data() + payload.size() - kSize;
  media::rtp::writeU32(p, kMagic);
  media::rtp::writeU16(p + 4, sourceSlot);
  p[6] = static_cast<uint8_t>(kind);
  p[7] = generation;
  media::rtp::writeU32(p + 8, sequence);
  const auto sent = static_cast<uint64_t>(sentNs);
  media::rtp::writeU32(p + 12, static_cast<uint32_t>(sent >> 32));
  media::rtp::writeU32(p + 16, static_cast<uint32_t>(sent));
  return true;
}

std::optional<PayloadStamp> PayloadStamp::readFrom(std::span<const uint8_t> payload) {
  if (payload.size() < kSize) return std::nullopt;
  const uint8_t* p = payload.data() + payload.size() - kSize;
  if (media::rtp::readU32(p) != kMagic || p[6] > 1) return std::nullopt;
  PayloadStamp stamp;
  stamp.sourceSlot = media::rtp::readU16(p + 4);
  stamp.kind = static_cast<StreamKind>(p[6]);
  stamp.generation = p[7];
  stamp.sequence = media::rtp::readU32(p + 8);
  const uint64_t sent = (uint64_t{media::rtp::readU32(p + 12)} << 32) | media::rtp::readU32(p + 16);
  stamp.sentNs = static_cast<int64_t>(sent);
  return stamp;
}

}  // namespace diemcau::load
