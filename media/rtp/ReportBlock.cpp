#include "media/rtp/ReportBlock.hpp"

#include <algorithm>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

ReportBlock ReportBlock::read(const uint8_t* p) {
  ReportBlock block;
  block.ssrc = readU32(p);
  block.fractionLost = p[4];
  block.cumulativeLost = readS24(p + 5);
  block.highestSeq = readU32(p + 8);
  block.jitter = readU32(p + 12);
  block.lastSr = readU32(p + 16);
  block.delaySinceLastSr = readU32(p + 20);
  return block;
}

void ReportBlock::write(uint8_t* p) const {
  writeU32(p, ssrc);
  p[4] = fractionLost;
  const int32_t lost = std::clamp<int32_t>(cumulativeLost, -0x800000, 0x7FFFFF);
  writeU24(p + 5, static_cast<uint32_t>(lost) & 0xFFFFFFu);
  writeU32(p + 8, highestSeq);
  writeU32(p + 12, jitter);
  writeU32(p + 16, lastSr);
  writeU32(p + 20, delaySinceLastSr);
}

}  // namespace diemcau::media::rtp
