#pragma once
// Loss on one downstream stream as its receiver reports it in NACKs (RFC 4585 section 6.2.1), the
// early signal of a weak downlink: a WebRTC receiver NACKs a gap within a few tens of
// milliseconds, while its receiver reports (RFC 3550) may come seconds apart, or, from GStreamer
// 1.22's webrtcbin on a lossy link, only after 30-40 s.
//
// A receiver repeats its NACK for a packet until the repair arrives (RFC 4585 section 3.6), so
// each sequence number counts once: a table indexed by sequence number remembers the last kSlots
// numbers NACKed and when; the same number again within kRepeatWindowUs is the receiver asking
// again, not a new loss. Later than that it is a new packet of the same number (after the 16-bit
// sequence wrapped).
//
// No allocation, never throws.
#include <array>
#include <cstddef>
#include <cstdint>

namespace diemcau::bridge {

class NackLossMeter {
 public:
  static constexpr size_t kSlots = 1024;
  static constexpr int64_t kRepeatWindowUs = 3'000'000;

  /// A NACKed sequence number (the receiver's numbering). Returns true, and counts it as lost,
  /// when this is the first NACK for it.
  bool onNack(uint16_t sequence, int64_t nowUs);
  /// Distinct packets NACKed so far.
  uint64_t lost() const { return lost_; }

 private:
  struct Slot {
    int64_t nackedUs = 0;
    uint16_t sequence = 0;
    bool used = false;
  };
  std::array<Slot, kSlots> slots_{};
  uint64_t lost_ = 0;
};

}  // namespace diemcau::bridge
