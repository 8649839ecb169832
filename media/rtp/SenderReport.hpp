#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp/ReportBlock.hpp"
#include "media/rtp/RtcpPacket.hpp"

namespace diemcau::media::rtp {

/// The sender information of an SR (RFC 3550 §6.4.1).
struct SenderInfo {
  uint32_t ssrc = 0;
  uint64_t ntpTimestamp = 0;  ///< 32.32 fixed-point seconds since 1900
  uint32_t rtpTimestamp = 0;
  uint32_t packetCount = 0;
  uint32_t octetCount = 0;
};

/// Read-only view of a sender report (PT 200).
class SenderReport {
 public:
  static constexpr size_t kMinSize = RtcpPacket::kHeaderSize + 24;
  static constexpr size_t kMaxReportBlocks = 31;

  /// Requires PT 200 and room for the sender info plus every announced report block.
  static std::optional<SenderReport> parse(const RtcpPacket& packet);
  /// Writes an SR with up to 31 report blocks; returns bytes written, 0 if `out` is too small.
  static size_t write(std::span<uint8_t> out, const SenderInfo& info, std::span<const ReportBlock> blocks);

  SenderInfo info() const;
  uint32_t ssrc() const;
  uint64_t ntpTimestamp() const;
  /// Middle 32 bits of the NTP timestamp: the LSR value a receiver echoes back.
  uint32_t compactNtp() const { return static_cast<uint32_t>(ntpTimestamp() >> 16); }
  uint32_t rtpTimestamp() const;
  uint32_t packetCount() const;
  uint32_t octetCount() const;
  size_t reportCount() const { return reportCount_; }
  /// The i-th report block; a zeroed block if i >= reportCount().
  ReportBlock reportBlock(size_t i) const;

 private:
  SenderReport(const uint8_t* body, size_t reportCount) : body_(body), reportCount_(reportCount) {}

  const uint8_t* body_;
  size_t reportCount_;
};

}  // namespace diemcau::media::rtp
