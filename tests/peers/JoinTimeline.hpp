#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace diemcau::peers {

/// The milestones of one join, as docs/PERFORMANCE.md ("Join time") breaks the join time down:
/// WebSocket open, join reply, subscribe offer, answer, ICE, DTLS, first packet of a stream, first
/// decoded frame. Each milestone keeps the first time it happened; webrtcbin's threads, the
/// streaming threads and the main context all mark, so a mutex guards it (a join has a few dozen
/// marks, never one per packet).
class JoinTimeline {
 public:
  using Clock = std::chrono::steady_clock;

  /// The instant the report counts from (the first WebSocket open). Marks made before it come out
  /// negative: the pipelines start before the connection.
  void setOrigin(Clock::time_point origin);
  /// Records `milestone` at `at` unless it happened already; true when this was its first time.
  bool mark(std::string_view milestone, Clock::time_point at = Clock::now());
  bool has(std::string_view milestone) const;

  /// {milestone: ms since the origin} (the reader sorts by value for the order); empty until the
  /// origin is set.
  nlohmann::json toJson() const;

 private:
  mutable std::mutex mutex_;
  std::optional<Clock::time_point> origin_;
  std::vector<std::pair<std::string, Clock::time_point>> marks_;
};

}  // namespace diemcau::peers
