#pragma once
// Remembers when each recent packet was last retransmitted to one receiver, so a repeated NACK
// within one round trip is not answered twice (the first repair is still on its way: RFC 4585
// section 3.6 lets a receiver repeat a NACK it sees no answer to, which it cannot before an RTT).
//
// A fixed table indexed by sequence number; an entry answers only for the exact number it holds.
// No allocation, never throws.
#include <array>
#include <cstddef>
#include <cstdint>

namespace diemcau::bridge {

class ResendGuard {
 public:
  static constexpr size_t kSize = 512;

  /// True (and records `nowUs`) unless `sequence` was resent less than `intervalUs` ago.
  bool allow(uint16_t sequence, int64_t nowUs, int64_t intervalUs) {
    Entry& entry = entries_[sequence % kSize];
    if (entry.used && entry.sequence == sequence && nowUs - entry.sentUs < intervalUs) return false;
    entry = Entry{nowUs, sequence, true};
    return true;
  }

 private:
  struct Entry {
    int64_t sentUs = 0;
    uint16_t sequence = 0;
    bool used = false;
  };
  std::array<Entry, kSize> entries_{};
};

}  // namespace diemcau::bridge
