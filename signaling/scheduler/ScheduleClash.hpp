#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "signaling/scheduler/TimeZone.hpp"
#include "signaling/store/Meeting.hpp"

namespace diemcau::signaling::scheduler {

/// Where two meetings of one host would run at the same time.
struct Clash {
  store::Meeting other;
  /// Start of the candidate's occurrence that collides.
  std::chrono::sys_seconds at{};
};

/// How far ahead a series is compared: to its `until`, at most one year past its first occurrence and at
/// most kMaxClashOccurrences occurrences (a daily series for a year), so one check stays bounded.
inline constexpr std::chrono::days kClashHorizon{366};
inline constexpr int kMaxClashOccurrences = 400;

/**
 * Compares every occurrence of `candidate` (one, or a series expanded in its own time zone) with every
 * occurrence of `others` (meetings and series alike, each expanded in its own zone) over the candidate's
 * horizon. Meetings of the same series as the candidate are skipped: they are the candidate. Returns the
 * earliest clash. A zone name that does not load is read as UTC (the admin API refuses such names before).
 */
std::optional<Clash> findClash(const store::Meeting& candidate, const std::vector<store::Meeting>& others);

}  // namespace diemcau::signaling::scheduler
