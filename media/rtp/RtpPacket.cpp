#include "media/rtp/RtpPacket.hpp"

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

std::optional<RtpPacket> RtpPacket::parse(uint8_t* data, size_t len) {
  if (data == nullptr || len < kFixedHeaderSize) {
    return std::nullopt;
  }
  // RFC 3550 §5.1: V must be 2.
  if ((data[0] >> 6) != 2) {
    return std::nullopt;
  }
  const bool hasPadding = (data[0] & 0x20) != 0;
  const bool hasExtension = (data[0] & 0x10) != 0;
  const size_t csrcCount = data[0] & 0x0F;

  size_t header = kFixedHeaderSize + 4 * csrcCount;
  if (header > len) {
    return std::nullopt;
  }
  size_t extensionSize = 0;
  if (hasExtension) {
    // RFC 3550 §5.3.1: a 4-byte block header whose length counts the 32-bit words that follow.
    if (header + 4 > len) {
      return std::nullopt;
    }
    extensionSize = 4 + 4 * static_cast<size_t>(readU16(data + header + 2));
    if (extensionSize > len - header) {
      return std::nullopt;
    }
    header += extensionSize;
  }
  size_t padding = 0;
  if (hasPadding) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included, so 0 is invalid.
    if (header == len) {
      return std::nullopt;
    }
    padding = data[len - 1];
    if (padding == 0 || padding > len - header) {
      return std::nullopt;
    }
  }
  return RtpPacket(data, len, header, extensionSize, padding);
}

uint16_t RtpPacket::sequence() const { return readU16(data_ + 2); }
uint32_t RtpPacket::timestamp() const { return readU32(data_ + 4); }
uint32_t RtpPacket::ssrc() const { return readU32(data_ + 8); }

uint32_t RtpPacket::csrc(size_t i) const {
  if (i >= csrcCount()) {
    return 0;
  }
  return readU32(data_ + kFixedHeaderSize + 4 * i);
}

uint16_t RtpPacket::extensionProfile() const {
  if (extensionSize_ == 0) {
    return 0;
  }
  return readU16(data_ + kFixedHeaderSize + 4 * csrcCount());
}

std::span<const uint8_t> RtpPacket::extensionBlock() const {
  if (extensionSize_ == 0) {
    return {};
  }
  return {data_ + kFixedHeaderSize + 4 * csrcCount() + 4, extensionSize_ - 4};
}

std::span<uint8_t> RtpPacket::payload() const {
  return {data_ + headerSize_, size_ - headerSize_ - paddingSize_};
}

void RtpPacket::setPayloadType(uint8_t pt) {
  data_[1] = static_cast<uint8_t>((data_[1] & 0x80) | (pt & 0x7F));
}

void RtpPacket::setMarker(bool marker) {
  data_[1] = static_cast<uint8_t>((data_[1] & 0x7F) | (marker ? 0x80 : 0x00));
}

void RtpPacket::setSequence(uint16_t seq) { writeU16(data_ + 2, seq); }
void RtpPacket::setTimestamp(uint32_t ts) { writeU32(data_ + 4, ts); }
void RtpPacket::setSsrc(uint32_t ssrc) { writeU32(data_ + 8, ssrc); }

}  // namespace diemcau::media::rtp
