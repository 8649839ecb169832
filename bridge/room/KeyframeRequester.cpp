#include "bridge/room/KeyframeRequester.hpp"

namespace diemcau::bridge {

bool KeyframeRequester::poll(int64_t nowUs) {
  if (!pending_) return false;
  if (everSent_ && nowUs - lastSentUs_ < minIntervalUs_) return false;
  pending_ = false;
  everSent_ = true;
  lastSentUs_ = nowUs;
  ++sent_;
  return true;
}

}  // namespace diemcau::bridge
