#include "signaling/scheduler/RecurrenceRule.hpp"

namespace diemcau::signaling::scheduler {

using namespace std::chrono;

namespace {
// Enough to find the next occurrence of any weekly pattern or of a monthly series across a year.
constexpr int kSearchDays = 400;

unsigned isoWeekdayBit(local_days day) {
  unsigned iso = weekday{day}.iso_encoding();  // 1 = Monday ... 7 = Sunday
  return 1u << (iso - 1);
}
}  // namespace

RecurrenceRule::RecurrenceRule(const store::Meeting& series, TimeZone zone)
    : recurrence_(series.recurrence), zone_(std::move(zone)) {
  auto local = zone_.toLocal(series.start);
  firstDay_ = floor<days>(local);
  timeOfDay_ = local - firstDay_;
  duration_ = series.end - series.start;
}

bool RecurrenceRule::dateMatches(local_days day) const {
  if (day < firstDay_) return false;
  if (day == firstDay_) return true;
  switch (recurrence_.kind) {
    case store::RecurrenceKind::None:
      return false;
    case store::RecurrenceKind::Daily:
      return true;
    case store::RecurrenceKind::Weekly:
      return (recurrence_.weekdays & isoWeekdayBit(day)) != 0;
    case store::RecurrenceKind::Monthly: {
      year_month_day first{firstDay_};
      year_month_day here{day};
      auto last = year_month_day_last{here.year(), month_day_last{here.month()}}.day();
      auto wanted = std::min(first.day(), last);
      return here.day() == wanted;
    }
  }
  return false;
}

std::optional<sys_seconds> RecurrenceRule::nextStart(sys_seconds from) const {
  auto fromDay = floor<days>(zone_.toLocal(from));
  auto day = std::max(firstDay_, fromDay - days{1});
  for (int i = 0; i < kSearchDays; ++i, day += days{1}) {
    if (!dateMatches(day)) continue;
    auto start = zone_.toUtc(local_seconds{day} + timeOfDay_);
    if (recurrence_.until && start > *recurrence_.until) return std::nullopt;
    if (start >= from) return start;
  }
  return std::nullopt;
}

}  // namespace diemcau::signaling::scheduler
