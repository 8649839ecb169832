#include "signaling/scheduler/ScheduleClash.hpp"

#include <algorithm>

#include "signaling/scheduler/RecurrenceRule.hpp"

namespace diemcau::signaling::scheduler {

using namespace std::chrono;

namespace {

struct Span {
  sys_seconds start;
  sys_seconds end;
};

TimeZone zoneFor(const store::Meeting& m) {
  auto zone = TimeZone::load(m.timeZone);
  return zone ? *zone : TimeZone::utc();
}

/// Occurrences of `m` that overlap [from, to), in start order, at most kMaxClashOccurrences.
std::vector<Span> spansOf(const store::Meeting& m, sys_seconds from, sys_seconds to) {
  std::vector<Span> spans;
  if (!m.isSeries()) {
    if (m.start < to && m.end > from) spans.push_back({m.start, m.end});
    return spans;
  }
  RecurrenceRule rule(m, zoneFor(m));
  // An occurrence that started before `from` can still be running at `from`.
  auto next = rule.nextStart(std::max(m.start, from - rule.duration() + seconds{1}));
  while (next && *next < to && static_cast<int>(spans.size()) < kMaxClashOccurrences) {
    spans.push_back({*next, *next + rule.duration()});
    next = rule.nextStart(*next + seconds{1});
  }
  return spans;
}

bool sameSeries(const store::Meeting& a, const store::Meeting& b) {
  if (a.id == b.id) return true;
  if (!a.seriesId.empty() && (b.id == a.seriesId || b.seriesId == a.seriesId)) return true;
  return !b.seriesId.empty() && b.seriesId == a.id;
}

}  // namespace

std::optional<Clash> findClash(const store::Meeting& candidate, const std::vector<store::Meeting>& others) {
  auto horizonEnd = candidate.end;
  if (candidate.isSeries()) {
    horizonEnd = candidate.start + kClashHorizon;
    if (candidate.recurrence.until) {
      horizonEnd = std::min(horizonEnd, *candidate.recurrence.until + (candidate.end - candidate.start));
    }
  }
  auto mine = spansOf(candidate, candidate.start, horizonEnd);
  if (mine.empty()) return std::nullopt;
  horizonEnd = std::max(horizonEnd, mine.back().end);
  std::optional<Clash> best;
  for (const auto& other : others) {
    if (sameSeries(candidate, other)) continue;
    auto theirs = spansOf(other, candidate.start, horizonEnd);
    // Both lists are sorted by start and free of self-overlap: one merge pass finds the first meeting point.
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < mine.size() && j < theirs.size()) {
      if (mine[i].start < theirs[j].end && theirs[j].start < mine[i].end) {
        if (!best || mine[i].start < best->at) best = Clash{other, mine[i].start};
        break;
      }
      if (mine[i].end <= theirs[j].end) {
        ++i;
      } else {
        ++j;
      }
    }
  }
  return best;
}

}  // namespace diemcau::signaling::scheduler
