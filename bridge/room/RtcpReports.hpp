#pragma once
// The RTCP the bridge originates as an RTP endpoint on each leg (RFC 3550 section 6): compounds
// that start with a report and carry an SDES CNAME (section 6.1), and the arithmetic behind them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "media/rtp/ReportBlock.hpp"
#include "media/rtp/SenderReport.hpp"

namespace diemcau::bridge {

/// RR from `senderSsrc` with up to 31 `blocks`, then SDES CNAME. Returns bytes written, 0 if `out`
/// is too small.
size_t writeReceiverReportCompound(std::span<uint8_t> out, uint32_t senderSsrc,
                                   std::span<const media::rtp::ReportBlock> blocks, std::string_view cname);
/// SR without report blocks (the bridge receives nothing on a subscriber connection), then SDES
/// CNAME. Returns bytes written, 0 if `out` is too small.
size_t writeSenderReportCompound(std::span<uint8_t> out, const media::rtp::SenderInfo& info, std::string_view cname);

/// The RTP timestamp of "now" on a stream whose last packet carried `lastTimestamp` at `lastUs`:
/// the media clock advances with the wall clock between packets.
uint32_t extrapolateTimestamp(uint32_t lastTimestamp, int64_t lastUs, int64_t nowUs, uint32_t clockRate);

/// Round-trip time from a report block on one of our SRs, received at compact NTP time `now`
/// (RFC 3550 section 6.4.1: A - LSR - DLSR). Empty when the block echoes no SR.
std::optional<uint32_t> roundTripMs(const media::rtp::ReportBlock& block, uint32_t compactNow);

}  // namespace diemcau::bridge
