#include "bridge/bwe/NackLossMeter.hpp"

namespace diemcau::bridge {

bool NackLossMeter::onNack(uint16_t sequence, int64_t nowUs) {
  Slot& slot = slots_[sequence % kSlots];
  if (slot.used && slot.sequence == sequence && nowUs - slot.nackedUs < kRepeatWindowUs) {
    // Asked again: keep the first time, so a receiver that keeps asking still ages out.
    return false;
  }
  slot = Slot{nowUs, sequence, true};
  ++lost_;
  return true;
}

}  // namespace diemcau::bridge
