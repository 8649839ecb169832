#include "media/rtp/Rtx.hpp"

#include <algorithm>

namespace diemcau::media::rtp {

namespace {

constexpr size_t kOsnSize = 2;
constexpr uint8_t kPaddingBit = 0x20;

}  // namespace

size_t writeRtx(std::span<uint8_t> out, const RtpPacket& original, const RtxHeader& header) {
  const auto payload = original.payload();
  const size_t headerSize = original.headerSize();
  const size_t size = headerSize + kOsnSize + payload.size();
  if (payload.empty() || size > out.size()) return 0;
  std::copy_n(original.data(), headerSize, out.data());
  out[0] &= static_cast<uint8_t>(~kPaddingBit);
  out[headerSize] = static_cast<uint8_t>(header.originalSequence >> 8);
  out[headerSize + 1] = static_cast<uint8_t>(header.originalSequence & 0xFF);
  std::copy(payload.begin(), payload.end(), out.data() + headerSize + kOsnSize);
  auto rtx = RtpPacket::parse(out.data(), size);
  if (!rtx) return 0;
  rtx->setSsrc(header.ssrc);
  rtx->setPayloadType(header.payloadType);
  rtx->setSequence(header.sequence);
  rtx->setTimestamp(header.timestamp);
  return size;
}

size_t restoreFromRtx(std::span<uint8_t> out, const RtpPacket& rtx, uint32_t mediaSsrc, uint8_t mediaPayloadType) {
  const auto payload = rtx.payload();
  const size_t headerSize = rtx.headerSize();
  if (payload.size() <= kOsnSize) return 0;
  const size_t size = headerSize + payload.size() - kOsnSize;
  if (size > out.size()) return 0;
  const auto originalSequence = static_cast<uint16_t>((payload[0] << 8) | payload[1]);
  std::copy_n(rtx.data(), headerSize, out.data());
  out[0] &= static_cast<uint8_t>(~kPaddingBit);
  std::copy(payload.begin() + kOsnSize, payload.end(), out.data() + headerSize);
  auto original = RtpPacket::parse(out.data(), size);
  if (!original) return 0;
  original->setSsrc(mediaSsrc);
  original->setPayloadType(mediaPayloadType);
  original->setSequence(originalSequence);
  return size;
}

}  // namespace diemcau::media::rtp
