#include "media/rtp/RtcpPacket.hpp"

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

std::optional<RtcpPacket> RtcpPacket::parse(const uint8_t* data, size_t len) {
  if (data == nullptr || len < kHeaderSize) {
    return std::nullopt;
  }
  if ((data[0] >> 6) != 2) {
    return std::nullopt;
  }
  // RFC 3550 §6.4.1: length is in 32-bit words minus one, header and padding included.
  const size_t size = (static_cast<size_t>(readU16(data + 2)) + 1) * 4;
  if (size > len) {
    return std::nullopt;
  }
  size_t padding = 0;
  if ((data[0] & 0x20) != 0) {
    // The last octet counts the padding octets, itself included.
    padding = data[size - 1];
    if (padding == 0 || padding > size - kHeaderSize) {
      return std::nullopt;
    }
  }
  return RtcpPacket(data, size, padding);
}

void RtcpPacket::writeHeader(uint8_t* out, uint8_t count, uint8_t packetType, size_t size) {
  out[0] = static_cast<uint8_t>(0x80 | (count & 0x1F));
  out[1] = packetType;
  writeU16(out + 2, static_cast<uint16_t>(size / 4 - 1));
}

std::optional<RtcpPacket> RtcpCompound::next() {
  if (malformed_ || offset_ >= len_) {
    return std::nullopt;
  }
  auto packet = RtcpPacket::parse(data_ + offset_, len_ - offset_);
  if (!packet) {
    malformed_ = true;
    return std::nullopt;
  }
  offset_ += packet->size();
  return packet;
}

}  // namespace diemcau::media::rtp
