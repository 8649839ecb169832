#include "tests/peers/JoinTimeline.hpp"

#include <algorithm>

namespace diemcau::peers {

void JoinTimeline::setOrigin(Clock::time_point origin) {
  std::lock_guard lock(mutex_);
  origin_ = origin;
}

bool JoinTimeline::mark(std::string_view milestone, Clock::time_point at) {
  std::lock_guard lock(mutex_);
  const bool seen = std::any_of(marks_.begin(), marks_.end(), [&](const auto& m) { return m.first == milestone; });
  if (seen) {
    return false;
  }
  marks_.emplace_back(std::string(milestone), at);
  return true;
}

bool JoinTimeline::has(std::string_view milestone) const {
  std::lock_guard lock(mutex_);
  return std::any_of(marks_.begin(), marks_.end(), [&](const auto& m) { return m.first == milestone; });
}

nlohmann::json JoinTimeline::toJson() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::object();
  if (!origin_) {
    return out;
  }
  for (const auto& [name, at] : marks_) {
    out[name] = std::chrono::duration_cast<std::chrono::milliseconds>(at - *origin_).count();
  }
  return out;
}

}  // namespace diemcau::peers
