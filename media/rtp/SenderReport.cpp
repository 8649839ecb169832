#include "media/rtp/SenderReport.hpp"

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

namespace {
constexpr size_t kSenderInfoSize = 24;  // SSRC + NTP (8) + RTP ts + packet count + octet count
}

std::optional<SenderReport> SenderReport::parse(const RtcpPacket& packet) {
  if (packet.packetType() != rtcp_type::kSr) {
    return std::nullopt;
  }
  const auto body = packet.body();
  const size_t count = packet.count();
  // Profile-specific extensions may follow the blocks (RFC 3550 §6.4.1); they are ignored.
  if (body.size() < kSenderInfoSize + count * ReportBlock::kSize) {
    return std::nullopt;
  }
  return SenderReport(body.data(), count);
}

size_t SenderReport::write(std::span<uint8_t> out, const SenderInfo& info, std::span<const ReportBlock> blocks) {
  if (blocks.size() > kMaxReportBlocks) {
    return 0;
  }
  const size_t size = RtcpPacket::kHeaderSize + kSenderInfoSize + blocks.size() * ReportBlock::kSize;
  if (out.size() < size) {
    return 0;
  }
  uint8_t* p = out.data();
  RtcpPacket::writeHeader(p, static_cast<uint8_t>(blocks.size()), rtcp_type::kSr, size);
  writeU32(p + 4, info.ssrc);
  writeU32(p + 8, static_cast<uint32_t>(info.ntpTimestamp >> 32));
  writeU32(p + 12, static_cast<uint32_t>(info.ntpTimestamp));
  writeU32(p + 16, info.rtpTimestamp);
  writeU32(p + 20, info.packetCount);
  writeU32(p + 24, info.octetCount);
  p += RtcpPacket::kHeaderSize + kSenderInfoSize;
  for (const auto& block : blocks) {
    block.write(p);
    p += ReportBlock::kSize;
  }
  return size;
}

SenderInfo SenderReport::info() const {
  return SenderInfo{ssrc(), ntpTimestamp(), rtpTimestamp(), packetCount(), octetCount()};
}

uint32_t SenderReport::ssrc() const { return readU32(body_); }

uint64_t SenderReport::ntpTimestamp() const {
  return (static_cast<uint64_t>(readU32(body_ + 4)) << 32) | readU32(body_ + 8);
}

uint32_t SenderReport::rtpTimestamp() const { return readU32(body_ + 12); }
uint32_t SenderReport::packetCount() const { return readU32(body_ + 16); }
uint32_t SenderReport::octetCount() const { return readU32(body_ + 20); }

ReportBlock SenderReport::reportBlock(size_t i) const {
  if (i >= reportCount_) {
    return {};
  }
  return ReportBlock::read(body_ + kSenderInfoSize + i * ReportBlock::kSize);
}

}  // namespace diemcau::media::rtp
