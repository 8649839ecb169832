#include "bridge/room/RtcpReports.hpp"

#include "media/rtp/ReceiverReport.hpp"
#include "media/rtp/Sdes.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

size_t writeReceiverReportCompound(std::span<uint8_t> out, uint32_t senderSsrc,
                                   std::span<const rtp::ReportBlock> blocks, std::string_view cname) {
  if (blocks.size() > rtp::ReceiverReport::kMaxReportBlocks) blocks = blocks.first(rtp::ReceiverReport::kMaxReportBlocks);
  const size_t rr = rtp::ReceiverReport::write(out, senderSsrc, blocks);
  if (rr == 0) return 0;
  const size_t sdes = rtp::Sdes::writeCname(out.subspan(rr), senderSsrc, cname);
  return sdes == 0 ? 0 : rr + sdes;
}

size_t writeSenderReportCompound(std::span<uint8_t> out, const rtp::SenderInfo& info, std::string_view cname) {
  const size_t sr = rtp::SenderReport::write(out, info, {});
  if (sr == 0) return 0;
  const size_t sdes = rtp::Sdes::writeCname(out.subspan(sr), info.ssrc, cname);
  return sdes == 0 ? 0 : sr + sdes;
}

uint32_t extrapolateTimestamp(uint32_t lastTimestamp, int64_t lastUs, int64_t nowUs, uint32_t clockRate) {
  const int64_t elapsedUs = nowUs > lastUs ? nowUs - lastUs : 0;
  return lastTimestamp + static_cast<uint32_t>(elapsedUs * static_cast<int64_t>(clockRate) / 1'000'000);
}

std::optional<uint32_t> roundTripMs(const rtp::ReportBlock& block, uint32_t compactNow) {
  if (block.lastSr == 0) return std::nullopt;
  const uint32_t rtt = compactNow - block.lastSr - block.delaySinceLastSr;  // 1/65536 s, modulo 2^32
  if (rtt > 0x80000000u) return 0;  // clocks of a few microseconds apart: report no delay
  return static_cast<uint32_t>((static_cast<uint64_t>(rtt) * 1000) >> 16);
}

}  // namespace diemcau::bridge
