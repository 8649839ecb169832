#pragma once
// Wall-clock time in the NTP format of RTCP sender reports (RFC 3550 section 4).
#include <chrono>
#include <cstdint>

namespace diemcau::bridge {

/// 32.32 fixed-point seconds since 1900-01-01.
inline uint64_t toNtp(std::chrono::system_clock::time_point time) {
  constexpr uint64_t kUnixToNtpSeconds = 2'208'988'800ULL;  // 70 years including 17 leap days
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  const uint64_t seconds = static_cast<uint64_t>(us / 1'000'000) + kUnixToNtpSeconds;
  const uint64_t fraction = (static_cast<uint64_t>(us % 1'000'000) << 32) / 1'000'000;
  return (seconds << 32) | fraction;
}

/// The middle 32 bits: the LSR/DLSR time base of report blocks.
inline uint32_t compactNtp(uint64_t ntp) { return static_cast<uint32_t>(ntp >> 16); }

}  // namespace diemcau::bridge

namespace diemcau::bridge {

/// The bridge's monotonic clock in microseconds: every rate limit and interval of the room.
inline int64_t monotonicUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace diemcau::bridge
