#include "bridge/room/KeyframeRequester.hpp"

namespace diemcau::bridge {

bool KeyframeRequester::poll(int64_t nowUs) {
  if (!pending_) return false;
  const bool withinInterval = everSent_ && nowUs - lastSentUs_ < minIntervalUs_;
  if (withinInterval) {
    if (urgent_) {
      ++sentEarly_;
    } else if (retryAllowed(nowUs)) {
      ++sentRetries_;
    } else {
      return false;
    }
  }
  pending_ = false;
  urgent_ = false;
  markSent(nowUs);
  ++sent_;
  return true;
}

bool KeyframeRequester::retryAllowed(int64_t nowUs) const {
  return retryFloorUs_ > 0 && keyframeSinceSent_ && nowUs - lastSentUs_ >= retryFloorUs_ &&
         paidUntilUs_ - nowUs <= minIntervalUs_ - retryFloorUs_;
}

void KeyframeRequester::markSent(int64_t nowUs) {
  keyframeSinceSent_ = false;
  everSent_ = true;
  lastSentUs_ = nowUs;
  paidUntilUs_ = std::max(paidUntilUs_, nowUs) + minIntervalUs_;
}

}  // namespace diemcau::bridge
