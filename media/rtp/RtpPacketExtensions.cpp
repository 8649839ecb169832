// RFC 8285 header extension access for RtpPacket (split from RtpPacket.cpp to keep each file on one job).
#include <cstring>

#include "media/rtp/ByteOrder.hpp"
#include "media/rtp/RtpPacket.hpp"

namespace diemcau::media::rtp {

std::optional<RtpPacket::ExtensionElement> RtpPacket::findExtension(uint8_t id) const {
  if (extensionSize_ == 0 || id == 0) {
    return std::nullopt;
  }
  const size_t blockStart = kFixedHeaderSize + 4 * csrcCount() + 4;
  const size_t blockEnd = blockStart + extensionSize_ - 4;  // <= headerSize_, checked by parse()
  const uint16_t profile = extensionProfile();

  if (profile == kOneByteProfile) {
    // RFC 8285 §4.2: ids 1..14; 15 is reserved and ends processing of the whole block.
    if (id > 14) {
      return std::nullopt;
    }
    size_t pos = blockStart;
    while (pos < blockEnd) {
      const uint8_t b = data_[pos];
      if (b == 0) {  // padding byte
        ++pos;
        continue;
      }
      const uint8_t elementId = b >> 4;
      const size_t length = static_cast<size_t>(b & 0x0F) + 1;
      if (elementId == 15 || length > blockEnd - pos - 1) {
        return std::nullopt;
      }
      if (elementId == id) {
        return ExtensionElement{pos, 1, length};
      }
      pos += 1 + length;
    }
    return std::nullopt;
  }

  if ((profile & kTwoByteProfileMask) == kTwoByteProfile) {
    // RFC 8285 §4.3: id byte, length byte (0..255), value; a zero id byte is one byte of padding.
    size_t pos = blockStart;
    while (pos < blockEnd) {
      const uint8_t elementId = data_[pos];
      if (elementId == 0) {
        ++pos;
        continue;
      }
      if (blockEnd - pos < 2) {
        return std::nullopt;
      }
      const size_t length = data_[pos + 1];
      if (length > blockEnd - pos - 2) {
        return std::nullopt;
      }
      if (elementId == id) {
        return ExtensionElement{pos, 2, length};
      }
      pos += 2 + length;
    }
  }
  return std::nullopt;
}

std::span<const uint8_t> RtpPacket::extension(uint8_t id) const {
  const auto element = findExtension(id);
  if (!element) {
    return {};
  }
  return {data_ + element->headerOffset + element->headerLength, element->valueLength};
}

bool RtpPacket::setExtension(uint8_t id, std::span<const uint8_t> value) {
  const auto element = findExtension(id);
  if (!element || element->valueLength != value.size()) {
    return false;
  }
  if (!value.empty()) {
    std::memmove(data_ + element->headerOffset + element->headerLength, value.data(), value.size());
  }
  return true;
}

bool RtpPacket::removeExtension(uint8_t id) {
  const auto element = findExtension(id);
  if (!element) {
    return false;
  }
  std::memset(data_ + element->headerOffset, 0, element->headerLength + element->valueLength);
  return true;
}

std::optional<AudioLevel> RtpPacket::audioLevel(uint8_t id) const {
  // RFC 6464 §3: one byte, V flag then a 7-bit level in -dBov. Some senders pad the element to
  // more bytes in the two-byte form; only the first is meaningful.
  const auto value = extension(id);
  if (value.empty()) {
    return std::nullopt;
  }
  return AudioLevel{(value[0] & 0x80) != 0, static_cast<uint8_t>(value[0] & 0x7F)};
}

std::string_view RtpPacket::mid(uint8_t id) const {
  const auto value = extension(id);
  return {reinterpret_cast<const char*>(value.data()), value.size()};
}

std::string_view RtpPacket::rid(uint8_t id) const {
  const auto value = extension(id);
  return {reinterpret_cast<const char*>(value.data()), value.size()};
}

std::optional<uint16_t> RtpPacket::transportSequence(uint8_t id) const {
  // draft-holmer-rmcat-transport-wide-cc-extensions-01 §2: a 16-bit sequence number.
  const auto value = extension(id);
  if (value.size() < 2) {
    return std::nullopt;
  }
  return readU16(value.data());
}

bool RtpPacket::setTransportSequence(uint8_t id, uint16_t seq) {
  uint8_t value[2];
  writeU16(value, seq);
  return setExtension(id, value);
}

std::optional<uint32_t> RtpPacket::absSendTime(uint8_t id) const {
  const auto value = extension(id);
  if (value.size() != 3) {
    return std::nullopt;
  }
  return readU24(value.data());
}

}  // namespace diemcau::media::rtp
