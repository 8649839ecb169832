#include "media/rtp/RtcpFeedback.hpp"

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

namespace {
// The 16-bit length field bounds any RTCP packet.
constexpr size_t kMaxPacketSize = (size_t{0xFFFF} + 1) * 4;
}  // namespace

std::optional<RtcpFeedback> RtcpFeedback::parse(const RtcpPacket& packet, uint8_t packetType, uint8_t fmt) {
  if (packet.packetType() != packetType || packet.count() != fmt) {
    return std::nullopt;
  }
  const auto body = packet.body();
  if (body.size() < 8) {
    return std::nullopt;
  }
  return RtcpFeedback{readU32(body.data()), readU32(body.data() + 4), body.subspan(8)};
}

size_t RtcpFeedback::writeHeader(std::span<uint8_t> out, uint8_t packetType, uint8_t fmt, uint32_t senderSsrc,
                                 uint32_t mediaSsrc, size_t fciSize) {
  if (fciSize % 4 != 0 || fciSize > kMaxPacketSize - kHeaderSize) {
    return 0;
  }
  const size_t size = kHeaderSize + fciSize;
  if (out.size() < size) {
    return 0;
  }
  RtcpPacket::writeHeader(out.data(), fmt, packetType, size);
  writeU32(out.data() + 4, senderSsrc);
  writeU32(out.data() + 8, mediaSsrc);
  return size;
}

}  // namespace diemcau::media::rtp
