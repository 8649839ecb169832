#pragma once
// Which participants a room's periodic work visits at each 10 ms slice, and which of them send
// their RTCP reports then.
//
// Every participant ticks every 100 ms (kSlices slices) and reports on one of every
// kTicksPerReport of its ticks. A participant's slot, given in join order, spreads both: slot mod
// kSlices picks its slice, slot / kSlices the tick of the second it reports on. A room therefore
// does a tenth of its ticking and a hundredth of its reporting at each slice instead of
// everything at once, which held the worker's forwarding up for milliseconds (docs/PERFORMANCE.md).
#include <cstdint>

namespace diemcau::bridge {

class TickSchedule {
 public:
  static constexpr unsigned kSlices = 10;          // slices per tick: each participant ticks every 100 ms
  static constexpr unsigned kTicksPerReport = 10;  // RTCP reports about every second
  static constexpr unsigned kSlots = kSlices * kTicksPerReport;

  /// The slot of the next participant to join.
  unsigned nextSlot() { return joined_++ % kSlots; }

  /// The slice about to run; advance() moves to the next one.
  unsigned slice() const { return static_cast<unsigned>(slices_ % kSlices); }
  /// True once every kSlices slices: the room-wide part of a tick (speaker detection) runs then.
  bool lastSliceOfTick() const { return slice() == kSlices - 1; }
  void advance() { ++slices_; }

  /// Whether the participant in `slot` ticks at the current slice.
  bool ticks(unsigned slot) const { return slot % kSlices == slice(); }
  /// Whether it also sends its reports: slots below kSlices on the 10th, 20th, ... tick, as every
  /// participant once did; the others on their own tick of the second.
  bool reports(unsigned slot) const {
    const uint64_t tick = slices_ / kSlices;  // whole ticks before this one
    return (tick + 1 + slot / kSlices) % kTicksPerReport == 0;
  }

 private:
  uint64_t slices_ = 0;
  unsigned joined_ = 0;
};

}  // namespace diemcau::bridge
