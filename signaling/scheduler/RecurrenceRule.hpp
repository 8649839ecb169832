#pragma once

#include <chrono>
#include <optional>

#include "signaling/scheduler/TimeZone.hpp"
#include "signaling/store/Meeting.hpp"

namespace diemcau::signaling::scheduler {

/**
 * Occurrences of a recurring meeting, computed in the meeting's own time zone so "every Monday 08:00" stays
 * 08:00 on the wall. The series' own start is the first occurrence. Monthly series fall on the same day of
 * the month, or on the month's last day when it is shorter (a series of the 31st meets on 30 April, 28
 * February).
 */
class RecurrenceRule {
 public:
  RecurrenceRule(const store::Meeting& series, TimeZone zone);

  /// Start of the first occurrence at or after `from`; nullopt past `until` or for a non-recurring meeting.
  std::optional<std::chrono::sys_seconds> nextStart(std::chrono::sys_seconds from) const;
  std::chrono::seconds duration() const { return duration_; }

 private:
  bool dateMatches(std::chrono::local_days day) const;

  store::Recurrence recurrence_;
  TimeZone zone_;
  std::chrono::local_days firstDay_;
  std::chrono::seconds timeOfDay_;
  std::chrono::seconds duration_;
};

}  // namespace diemcau::signaling::scheduler
