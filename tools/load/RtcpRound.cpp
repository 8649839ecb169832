#include "tools/load/RtcpRound.hpp"

#include <algorithm>

namespace diemcau::load {

RtcpRound::RtcpRound(media::Worker& worker, std::chrono::milliseconds interval)
    : timer_(worker, [this] { onSlice(); }) {
  const auto slice = std::max(std::chrono::milliseconds(1), interval / kSlices);
  timer_.start(slice, slice);
}

void RtcpRound::add(Member& member) { members_.push_back(&member); }

void RtcpRound::remove(Member& member) {
  const auto found = std::find(members_.begin(), members_.end(), &member);
  if (found == members_.end()) return;
  *found = members_.back();
  members_.pop_back();
}

void RtcpRound::onSlice() {
  // Slice k of a round takes members [n * k / kSlices, n * (k + 1) / kSlices): n in all per round.
  const std::size_t n = members_.size();
  const std::size_t share = n * (slice_ + 1) / kSlices - n * slice_ / kSlices;
  slice_ = (slice_ + 1) % kSlices;
  for (std::size_t i = 0; i < share && !members_.empty(); ++i) {
    if (next_ >= members_.size()) next_ = 0;
    members_[next_++]->onRtcpDue();
  }
}

}  // namespace diemcau::load
