#include "tests/peers/RepairMeter.hpp"

#include <algorithm>

namespace diemcau::peers {

std::int64_t RepairMeter::unwrap(std::uint16_t sequence) const {
  // The nearest number with these low 16 bits: RFC 3550 appendix A.1's wrap handling.
  const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - static_cast<std::uint16_t>(highest_)));
  return highest_ + delta;
}

void RepairMeter::onArrival(std::uint16_t sequence, std::int64_t nowUs) {
  if (!started_) {
    started_ = true;
    highest_ = sequence;
    ++counts_.packets;
    return;
  }
  const std::int64_t at = unwrap(sequence);
  if (at > highest_) {
    const std::int64_t gap = at - highest_ - 1;
    if (gap > kMaxGap) {
      counts_.unresolved += pending_.size();
      pending_.clear();
    } else {
      for (std::int64_t s = highest_ + 1; s < at; ++s) pending_[s] = Entry{nowUs, false};
      counts_.missing += static_cast<std::uint64_t>(gap);
      while (pending_.size() > kMaxPending) {
        pending_.erase(pending_.begin());
        ++counts_.unresolved;
      }
    }
    highest_ = at;
    ++counts_.packets;
    return;
  }
  const auto it = pending_.find(at);
  if (it == pending_.end()) return;  // a duplicate, or older than anything still pending
  ++counts_.packets;
  if (it->second.givenUp) {
    ++counts_.late;
  } else {
    ++counts_.repaired;
    repairUs_.push_back(nowUs - it->second.detectedUs);
  }
  pending_.erase(it);
}

void RepairMeter::onGivenUp(std::uint16_t sequence) {
  if (!started_) return;
  const auto it = pending_.find(unwrap(sequence));
  if (it == pending_.end() || it->second.givenUp) return;
  it->second.givenUp = true;
  ++counts_.givenUp;
}

RepairMeter::Counts RepairMeter::counts() const {
  Counts c = counts_;
  for (const auto& [sequence, entry] : pending_) {
    if (!entry.givenUp) ++c.unresolved;
  }
  return c;
}

nlohmann::json RepairMeter::toJson() const {
  const Counts c = counts();
  std::vector<std::int64_t> sorted = repairUs_;
  std::sort(sorted.begin(), sorted.end());
  const auto ms = [](std::int64_t us) { return static_cast<double>(us / 100) / 10.0; };
  return {{"packets", c.packets},
          {"missing", c.missing},
          {"repaired", c.repaired},
          {"given_up", c.givenUp},
          {"late", c.late},
          {"unresolved", c.unresolved},
          {"repair_ms_median", sorted.empty() ? 0.0 : ms(sorted[sorted.size() / 2])},
          {"repair_ms_max", sorted.empty() ? 0.0 : ms(sorted.back())}};
}

}  // namespace diemcau::peers
