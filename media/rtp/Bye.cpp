#include "media/rtp/Bye.hpp"

#include <cstring>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

std::optional<Bye> Bye::parse(const RtcpPacket& packet) {
  if (packet.packetType() != rtcp_type::kBye) {
    return std::nullopt;
  }
  const auto body = packet.body();
  if (body.size() < packet.count() * size_t{4}) {
    return std::nullopt;
  }
  return Bye(body, packet.count());
}

size_t Bye::write(std::span<uint8_t> out, std::span<const uint32_t> ssrcs, std::string_view reason) {
  if (ssrcs.size() > kMaxSsrcs || reason.size() > 255) {
    return 0;
  }
  const size_t reasonSize = reason.empty() ? 0 : 1 + reason.size();
  const size_t size = (RtcpPacket::kHeaderSize + 4 * ssrcs.size() + reasonSize + 3) & ~static_cast<size_t>(3);
  if (out.size() < size) {
    return 0;
  }
  uint8_t* p = out.data();
  RtcpPacket::writeHeader(p, static_cast<uint8_t>(ssrcs.size()), rtcp_type::kBye, size);
  size_t pos = RtcpPacket::kHeaderSize;
  for (const uint32_t ssrc : ssrcs) {
    writeU32(p + pos, ssrc);
    pos += 4;
  }
  if (!reason.empty()) {
    p[pos++] = static_cast<uint8_t>(reason.size());
    std::memcpy(p + pos, reason.data(), reason.size());
    pos += reason.size();
  }
  std::memset(p + pos, 0, size - pos);
  return size;
}

uint32_t Bye::ssrc(size_t i) const {
  if (i >= ssrcCount_) {
    return 0;
  }
  return readU32(body_.data() + 4 * i);
}

std::string_view Bye::reason() const {
  const size_t offset = 4 * ssrcCount_;
  if (body_.size() <= offset) {
    return {};
  }
  const size_t length = body_[offset];
  if (length > body_.size() - offset - 1) {
    return {};
  }
  return {reinterpret_cast<const char*>(body_.data() + offset + 1), length};
}

}  // namespace diemcau::media::rtp
