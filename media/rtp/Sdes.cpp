#include "media/rtp/Sdes.hpp"

#include <cstring>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

std::optional<Sdes> Sdes::parse(const RtcpPacket& packet) {
  if (packet.packetType() != rtcp_type::kSdes) {
    return std::nullopt;
  }
  return Sdes(packet.body(), packet.count());
}

std::optional<SdesChunk> Sdes::Reader::next() {
  if (malformed_ || remaining_ == 0) {
    return std::nullopt;
  }
  const size_t end = body_.size();
  size_t pos = offset_;
  if (end - pos < 4) {
    malformed_ = true;
    return std::nullopt;
  }
  SdesChunk chunk;
  chunk.ssrc = readU32(body_.data() + pos);
  pos += 4;
  // RFC 3550 §6.5: items until a null type octet, then null octets up to the next 32-bit boundary.
  for (;;) {
    if (pos >= end) {
      malformed_ = true;
      return std::nullopt;
    }
    const uint8_t type = body_[pos];
    if (type == 0) {
      pos = (pos + 4) & ~static_cast<size_t>(3);
      if (pos > end) {
        malformed_ = true;
        return std::nullopt;
      }
      break;
    }
    if (end - pos < 2) {
      malformed_ = true;
      return std::nullopt;
    }
    const size_t length = body_[pos + 1];
    if (length > end - pos - 2) {
      malformed_ = true;
      return std::nullopt;
    }
    if (type == kCname) {
      chunk.cname = {reinterpret_cast<const char*>(body_.data() + pos + 2), length};
    }
    pos += 2 + length;
  }
  offset_ = pos;
  --remaining_;
  return chunk;
}

size_t Sdes::writeCname(std::span<uint8_t> out, uint32_t ssrc, std::string_view cname) {
  if (cname.size() > 255) {
    return 0;
  }
  // header + SSRC + type/length + text + at least one null octet, padded to 32 bits.
  const size_t unpadded = RtcpPacket::kHeaderSize + 4 + 2 + cname.size() + 1;
  const size_t size = (unpadded + 3) & ~static_cast<size_t>(3);
  if (out.size() < size) {
    return 0;
  }
  uint8_t* p = out.data();
  RtcpPacket::writeHeader(p, 1, rtcp_type::kSdes, size);
  writeU32(p + 4, ssrc);
  p[8] = kCname;
  p[9] = static_cast<uint8_t>(cname.size());
  if (!cname.empty()) {
    std::memcpy(p + 10, cname.data(), cname.size());
  }
  std::memset(p + 10 + cname.size(), 0, size - 10 - cname.size());
  return size;
}

}  // namespace diemcau::media::rtp
