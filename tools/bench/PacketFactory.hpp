#pragma once
// Packets the benchmarks feed through the forwarding path. They look like what Chrome sends, so the
// parser walks a real extension block rather than a bare 12-byte header.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "media/srtp/SrtpProfile.hpp"

namespace diemcau::tools::bench {

/// Extension ids as a browser typically negotiates them (extmap); only their layout matters here.
inline constexpr uint8_t kMidId = 4;
inline constexpr uint8_t kAbsSendTimeId = 2;
inline constexpr uint8_t kTransportCcId = 3;

/// A plain RTP packet of exactly `size` bytes (>= 40): VP8 payload type, a one-byte-form extension
/// block (RFC 8285 §4.2) with mid, abs-send-time and transport-wide sequence, then a patterned payload.
std::vector<uint8_t> makeRtpPacket(size_t size, uint16_t sequence, uint32_t timestamp, uint32_t ssrc);

/// A compound RTCP packet as a receiving browser sends it: RR with two report blocks, SDES CNAME,
/// REMB for two SSRCs and a generic NACK (RFC 3550 §6.1, RFC 4585 §6.2.1, draft-alvestrand-rmcat-remb).
std::vector<uint8_t> makeRtcpCompound();

/// Deterministic master key || salt for `profile`; different `seed`s give different keys.
std::vector<uint8_t> makeKeySalt(media::SrtpProfile profile, uint8_t seed);

}  // namespace diemcau::tools::bench
