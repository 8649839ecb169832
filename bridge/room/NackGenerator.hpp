#pragma once
// Which packets of one incoming stream the bridge itself lost, and when to ask for them again
// (RFC 4585 section 3.6: feedback per lost packet, repeated while a repair can still help).
//
//   seq:   100 101 ___ ___ 104          gap → 102, 103 pending, first NACK after reorderDelayUs
//   NACK {102,103} ── rtt ──► NACK {103} ── rtt ──► ... maxRetries, or maxAgeUs → given up
//   RTX 102 arrives → recovered (its round trip samples the RTT used for the spacing)
//
// Too much missing at once (more than kCapacity pending) is beyond repair by retransmission: the
// list is dropped and a keyframe asked for instead; so is a packet given up on, since the
// receivers' decoders cannot continue without it.
//
// Fixed storage, no allocation, never throws. Worker thread only.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace diemcau::bridge {

class NackGenerator {
 public:
  static constexpr size_t kCapacity = 256;

  struct Settings {
    int64_t reorderDelayUs = 10'000;  // a packet this late is usually reordered, not lost
    int64_t minRetryUs = 20'000;      // floor of the retry spacing (a LAN's RTT is tiny)
    int64_t initialRttUs = 100'000;   // until the first repair measures one
    int maxRetries = 5;
    int64_t maxAgeUs = 1'000'000;     // a repair arriving later is useless to a jitter buffer
  };
  enum class Arrival { First, InOrder, Gap, Recovered, Late, Reset };
  struct Counters {
    uint64_t missing = 0;    // sequence numbers found missing
    uint64_t requested = 0;  // sequence numbers put in NACKs (retries included)
    uint64_t recovered = 0;  // pending ones that arrived (retransmitted or late)
    uint64_t givenUp = 0;
    uint64_t overflows = 0;  // too much missing at once: list dropped, keyframe asked
  };

  NackGenerator() = default;
  explicit NackGenerator(const Settings& settings) : settings_(settings) {}

  /// Every packet of the stream, original or restored from RTX.
  Arrival onPacket(uint16_t sequence, int64_t nowUs);
  /// True if a NACK, a retry or a give-up is due at `nowUs` (cheap: called per packet).
  bool due(int64_t nowUs) const { return count_ != 0 && nowUs >= nextDueUs_; }
  /// Writes the sequence numbers to NACK now into `out` in ascending order and marks them sent;
  /// drops those given up. Returns how many were written.
  size_t collect(int64_t nowUs, std::span<uint16_t> out);
  /// True once after a keyframe became the better repair (overflow or a packet given up on).
  bool takeKeyframeRequest();

  bool pending(uint16_t sequence) const;
  size_t pendingCount() const { return count_; }
  int64_t rttUs() const { return rttUs_; }
  const Counters& counters() const { return counters_; }
  void reset();

 private:
  struct Entry {
    uint16_t sequence = 0;
    uint8_t retries = 0;
    int64_t detectedUs = 0;
    int64_t firstSentUs = 0;
    int64_t lastSentUs = 0;
  };

  int64_t dueAt(const Entry& entry) const;
  void addMissing(uint16_t from, uint16_t count, int64_t nowUs);
  void remove(size_t index);
  void overflow();

  Settings settings_;
  std::array<Entry, kCapacity> entries_{};  // ascending (serial) sequence order
  size_t count_ = 0;
  bool started_ = false;
  uint16_t newest_ = 0;
  int64_t nextDueUs_ = 0;
  int64_t rttUs_ = settings_.initialRttUs;
  bool keyframeRequest_ = false;
  Counters counters_;
};

}  // namespace diemcau::bridge
