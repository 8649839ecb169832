#pragma once
// Remembers when each recent packet was last retransmitted to one receiver, so a repeated NACK
// within one round trip is not answered twice (the first repair is still on its way: RFC 4585
// section 3.6 lets a receiver repeat a NACK it sees no answer to, which it cannot before an RTT).
//
// A fixed table indexed by sequence number; an entry answers only for the exact number it holds.
// The table (8 KiB) is made at the first retransmission: a meeting holds a downstream track per
// receiver and track, mostly audio that is never retransmitted, and a table each made a 150-site
// meeting zero and keep about 180 MB it never used. Allocates once, never throws: without memory
// for the table every resend is allowed.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace diemcau::bridge {

class ResendGuard {
 public:
  static constexpr size_t kSize = 512;

  /// True (and records `nowUs`) unless `sequence` was resent less than `intervalUs` ago.
  bool allow(uint16_t sequence, int64_t nowUs, int64_t intervalUs) {
    if (!entries_) {
      entries_.reset(new (std::nothrow) Entries{});
      if (!entries_) return true;
    }
    Entry& entry = (*entries_)[sequence % kSize];
    if (entry.used && entry.sequence == sequence && nowUs - entry.sentUs < intervalUs) return false;
    entry = Entry{nowUs, sequence, true};
    return true;
  }
  /// Whether the table exists (a retransmission was asked for).
  bool active() const { return entries_ != nullptr; }

 private:
  struct Entry {
    int64_t sentUs = 0;
    uint16_t sequence = 0;
    bool used = false;
  };
  using Entries = std::array<Entry, kSize>;
  std::unique_ptr<Entries> entries_;
};

}  // namespace diemcau::bridge
