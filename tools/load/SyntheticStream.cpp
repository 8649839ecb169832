#include "tools/load/SyntheticStream.hpp"

#include <algorithm>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::load {

namespace {

// Descriptor: X=1, S per packet, PID=0 | I=1 | M=1 + 15-bit picture id (RFC 7741 section 4.2).
constexpr size_t kVp8Descriptor = 4;
// Key frame payload header: 3-byte frame tag with P=0, then the start code 9d 01 2a and a
// 640x360 size (RFC 6386 section 9.1); inter frames have the 3-byte tag with P=1.
constexpr size_t kVp8KeyHeader = 10;
constexpr size_t kVp8InterHeader = 3;

}  // namespace

SyntheticStream::SyntheticStream(const Params& params)
    : params_(params),
      rtpSequence_(static_cast<uint16_t>(params.ssrc * 2654435761u >> 16)),
      rtpTimestamp_(params.ssrc * 40503u) {}

size_t SyntheticStream::writeHeader(std::span<uint8_t> out, bool marker) {
  uint8_t* p = out.data();
  p[0] = 0x80;  // V=2, no padding, no extension, no CSRC
  p[1] = static_cast<uint8_t>((marker ? 0x80 : 0x00) | (params_.payloadType & 0x7F));
  media::rtp::writeU16(p + 2, rtpSequence_++);
  media::rtp::writeU32(p + 4, rtpTimestamp_);
  media::rtp::writeU32(p + 8, params_.ssrc);
  return kRtpHeader;
}

bool SyntheticStream::stamp(std::span<uint8_t> payload, int64_t nowNs) {
  PayloadStamp s;
  s.sourceSlot = params_.sourceSlot;
  s.kind = params_.kind;
  s.generation = params_.generation;
  s.sequence = ++sequence_;
  s.sentNs = nowNs;
  return s.writeTo(payload);
}

void SyntheticStream::setAudioLevel(uint8_t extensionId, uint8_t level, bool voice) {
  levelId_ = extensionId >= 1 && extensionId <= 14 ? extensionId : 0;
  levelByte_ = static_cast<uint8_t>((voice ? 0x80 : 0x00) | (level & 0x7F));
}

size_t SyntheticStream::nextAudio(std::span<uint8_t> out, int64_t nowNs) {
  const size_t payloadSize = std::max(params_.payloadSize, PayloadStamp::kSize + 1);
  const size_t header = kRtpHeader + (levelId_ != 0 ? kLevelExtension : 0);
  const size_t total = header + payloadSize;
  if (out.size() < total) return 0;
  writeHeader(out, false);
  if (levelId_ != 0) {
    uint8_t* p = out.data();
    p[0] |= 0x10;  // X: a header extension follows the fixed header
    media::rtp::writeU16(p + 12, 0xBEDE);
    media::rtp::writeU16(p + 14, 1);  // one 32-bit word
    p[16] = static_cast<uint8_t>(levelId_ << 4);  // L = 0: a one-byte value
    p[17] = levelByte_;
    p[18] = 0;
    p[19] = 0;
  }
  auto payload = out.subspan(header, payloadSize);
  payload[0] = 0x78;  // an Opus TOC byte: SILK wideband 20 ms, one frame (RFC 6716 section 3.1)
  std::fill(payload.begin() + 1, payload.end(), uint8_t{0x5A});
  stamp(payload, nowNs);
  rtpTimestamp_ += params_.clockRate / 50;
  return total;
}

size_t SyntheticStream::nextVideo(std::span<uint8_t> out, size_t index, size_t count, bool keyframe, int64_t nowNs) {
  const bool first = index == 0;
  const size_t header = kVp8Descriptor + (first ? (keyframe ? kVp8KeyHeader : kVp8InterHeader) : 0);
  const size_t payloadSize = std::max(params_.payloadSize, header + PayloadStamp::kSize);
  const size_t total = kRtpHeader + payloadSize;
  if (out.size() < total) return 0;
  writeHeader(out, index + 1 == count);
  auto payload = out.subspan(kRtpHeader, payloadSize);
  std::fill(payload.begin(), payload.end(), uint8_t{0xA5});
  payload[0] = static_cast<uint8_t>(0x80 | (first ? 0x10 : 0x00));
  payload[1] = 0x80;
  payload[2] = static_cast<uint8_t>(0x80 | ((pictureId_ >> 8) & 0x7F));
  payload[3] = static_cast<uint8_t>(pictureId_ & 0xFF);
  if (first) {
    uint8_t* tag = payload.data() + kVp8Descriptor;
    // Frame tag: P (bit 0) = !keyframe, version 0, show_frame = 1 (bit 4); size bits left zero.
    tag[0] = static_cast<uint8_t>(0x10 | (keyframe ? 0x00 : 0x01));
    tag[1] = 0x00;
    tag[2] = 0x00;
    if (keyframe) {
      const uint8_t startAndSize[] = {0x9D, 0x01, 0x2A, 0x80, 0x02, 0x68, 0x01};  // 640 x 360
      std::copy(std::begin(startAndSize), std::end(startAndSize), tag + 3);
    }
  }
  stamp(payload, nowNs);
  return total;
}

void SyntheticStream::endFrame(uint32_t frameMs) {
  rtpTimestamp_ += params_.clockRate / 1000 * frameMs;
  pictureId_ = static_cast<uint16_t>((pictureId_ + 1) & 0x7FFF);
}

}  // namespace diemcau::load
