#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp/ReportBlock.hpp"
#include "media/rtp/RtcpPacket.hpp"

namespace diemcau::media::rtp {

/// Read-only view of a receiver report (PT 201, RFC 3550 §6.4.2).
class ReceiverReport {
 public:
  static constexpr size_t kMaxReportBlocks = 31;

  static std::optional<ReceiverReport> parse(const RtcpPacket& packet);
  /// Writes an RR with up to 31 report blocks; returns bytes written, 0 if `out` is too small.
  static size_t write(std::span<uint8_t> out, uint32_t ssrc, std::span<const ReportBlock> blocks);

  uint32_t ssrc() const;
  size_t reportCount() const { return reportCount_; }
  /// The i-th report block; a zeroed block if i >= reportCount().
  ReportBlock reportBlock(size_t i) const;

 private:
  ReceiverReport(const uint8_t* body, size_t reportCount) : body_(body), reportCount_(reportCount) {}

  const uint8_t* body_;
  size_t reportCount_;
};

}  // namespace diemcau::media::rtp
