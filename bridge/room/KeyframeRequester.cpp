#include "bridge/room/KeyframeRequester.hpp"

namespace diemcau::bridge {

bool KeyframeRequester::poll(int64_t nowUs) {
  if (!pending_) return false;
  const bool withinInterval = everSent_ && nowUs - lastSentUs_ < minIntervalUs_;
  if (withinInterval && !urgent_) return false;
  if (withinInterval) ++sentEarly_;
  pending_ = false;
  urgent_ = false;
  keyframeSinceSent_ = false;
  everSent_ = true;
  lastSentUs_ = nowUs;
  ++sent_;
  return true;
}

}  // namespace diemcau::bridge
