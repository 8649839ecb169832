#include "signaling/scheduler/ScheduleClash.hpp"

#include <gtest/gtest.h>

namespace diemcau::signaling::scheduler {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

sys_seconds utc(int y, unsigned mo, unsigned d, int h, int mi) {
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi};
}

constexpr std::uint8_t kMon = 1u << 0;
constexpr std::uint8_t kTue = 1u << 1;
constexpr std::uint8_t kWed = 1u << 2;

store::Meeting meeting(std::string id, sys_seconds start, minutes length) {
  store::Meeting m;
  m.id = std::move(id);
  m.title = m.id;
  m.hostSiteId = "huyen";
  m.start = start;
  m.end = start + length;
  return m;
}

store::Meeting weekly(std::string id, sys_seconds start, minutes length, std::uint8_t days) {
  auto m = meeting(std::move(id), start, length);
  m.recurrence.kind = store::RecurrenceKind::Weekly;
  m.recurrence.weekdays = days;
  return m;
}

// 1 Dec 2026 is a Tuesday; 08:00 ICT (UTC+7) is 01:00 UTC.

TEST(ScheduleClashTest, WeeklySeriesMeetsAOneOffMeetingWeeksLater) {
  auto series = weekly("giao-ban", utc(2026, 12, 1, 1, 0), 90min, kTue);
  // Tuesday 22 Dec 09:00 ICT, inside the fourth occurrence (08:00-09:30).
  auto later = meeting("m-later", utc(2026, 12, 22, 2, 0), 60min);
  auto clash = findClash(series, {later});
  ASSERT_TRUE(clash);
  EXPECT_EQ(clash->other.id, "m-later");
  EXPECT_EQ(clash->at, utc(2026, 12, 22, 1, 0));
  // And the other way round: the one-off meets the series' fourth occurrence, not only its first.
  clash = findClash(later, {series});
  ASSERT_TRUE(clash);
  EXPECT_EQ(clash->other.id, "giao-ban");
  EXPECT_EQ(clash->at, utc(2026, 12, 22, 2, 0));
}

TEST(ScheduleClashTest, TouchingAndOtherDaysDoNotClash) {
  auto series = weekly("giao-ban", utc(2026, 12, 1, 1, 0), 90min, kTue);
  // Starts exactly when the occurrence ends (09:30 ICT): half-open intervals, no clash.
  EXPECT_FALSE(findClash(series, {meeting("m-after", utc(2026, 12, 22, 2, 30), 60min)}));
  // A Wednesday meeting at the same hour.
  EXPECT_FALSE(findClash(series, {meeting("m-wed", utc(2026, 12, 23, 1, 0), 60min)}));
  // Before the series starts.
  EXPECT_FALSE(findClash(series, {meeting("m-before", utc(2026, 11, 24, 1, 0), 60min)}));
}

TEST(ScheduleClashTest, UntilBoundsTheSeries) {
  auto series = weekly("giao-ban", utc(2026, 12, 1, 1, 0), 90min, kTue);
  series.recurrence.until = utc(2026, 12, 15, 1, 0);  // last occurrence 15 Dec
  EXPECT_FALSE(findClash(series, {meeting("m-22", utc(2026, 12, 22, 1, 0), 60min)}));
  EXPECT_TRUE(findClash(series, {meeting("m-15", utc(2026, 12, 15, 1, 30), 60min)}));
}

TEST(ScheduleClashTest, TwoSeriesOnDifferentFirstDaysMeetOnASharedWeekday) {
  // Monday-only series from 30 Nov; the other meets Tuesdays and, from its own start, Mondays too.
  auto mondays = weekly("s-mon", utc(2026, 11, 30, 1, 0), 60min, kMon);
  auto other = weekly("s-tue", utc(2026, 12, 1, 1, 30), 60min, static_cast<std::uint8_t>(kTue | kMon));
  auto clash = findClash(other, {mondays});
  ASSERT_TRUE(clash);
  EXPECT_EQ(clash->other.id, "s-mon");
  EXPECT_EQ(clash->at, utc(2026, 12, 7, 1, 30));  // Monday 7 Dec 08:30 ICT
  // Disjoint weekdays never meet.
  auto wednesdays = weekly("s-wed", utc(2026, 12, 2, 1, 0), 60min, kWed);
  EXPECT_FALSE(findClash(wednesdays, {mondays}));
}

TEST(ScheduleClashTest, BeyondTheHorizonIsNotCompared) {
  auto series = weekly("giao-ban", utc(2026, 12, 1, 1, 0), 90min, kTue);
  // A Tuesday two years on is past the one-year horizon of an open-ended series.
  EXPECT_FALSE(findClash(series, {meeting("far", utc(2028, 11, 28, 1, 0), 60min)}));
  // Inside the horizon (Tuesday 23 Nov 2027) it is found.
  EXPECT_TRUE(findClash(series, {meeting("near", utc(2027, 11, 23, 1, 0), 60min)}));
}

TEST(ScheduleClashTest, OccurrencesOfTheSameSeriesAreTheCandidate) {
  auto series = weekly("giao-ban", utc(2026, 12, 1, 1, 0), 90min, kTue);
  auto occurrence = meeting("giao-ban-20261208", utc(2026, 12, 8, 1, 0), 90min);
  occurrence.seriesId = "giao-ban";
  EXPECT_FALSE(findClash(series, {occurrence}));
  EXPECT_FALSE(findClash(occurrence, {series}));
  auto sibling = meeting("giao-ban-20261215", utc(2026, 12, 15, 1, 0), 90min);
  sibling.seriesId = "giao-ban";
  EXPECT_FALSE(findClash(occurrence, {sibling, series}));
}

}  // namespace
}  // namespace diemcau::signaling::scheduler
