#include "media/rtp/ReceiverReport.hpp"

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

std::optional<ReceiverReport> ReceiverReport::parse(const RtcpPacket& packet) {
  if (packet.packetType() != rtcp_type::kRr) {
    return std::nullopt;
  }
  const auto body = packet.body();
  const size_t count = packet.count();
  if (body.size() < 4 + count * ReportBlock::kSize) {
    return std::nullopt;
  }
  return ReceiverReport(body.data(), count);
}

size_t ReceiverReport::write(std::span<uint8_t> out, uint32_t ssrc, std::span<const ReportBlock> blocks) {
  if (blocks.size() > kMaxReportBlocks) {
    return 0;
  }
  const size_t size = RtcpPacket::kHeaderSize + 4 + blocks.size() * ReportBlock::kSize;
  if (out.size() < size) {
    return 0;
  }
  uint8_t* p = out.data();
  RtcpPacket::writeHeader(p, static_cast<uint8_t>(blocks.size()), rtcp_type::kRr, size);
  writeU32(p + 4, ssrc);
  p += 8;
  for (const auto& block : blocks) {
    block.write(p);
    p += ReportBlock::kSize;
  }
  return size;
}

uint32_t ReceiverReport::ssrc() const { return readU32(body_); }

ReportBlock ReceiverReport::reportBlock(size_t i) const {
  if (i >= reportCount_) {
    return {};
  }
  return ReportBlock::read(body_ + 4 + i * ReportBlock::kSize);
}

}  // namespace diemcau::media::rtp
