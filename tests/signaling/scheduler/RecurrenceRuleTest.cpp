#include "signaling/scheduler/RecurrenceRule.hpp"

#include <gtest/gtest.h>

namespace diemcau::signaling::scheduler {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

sys_seconds utc(int y, unsigned mo, unsigned d, int h, int mi) {
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi};
}

TimeZone hcm() {
  auto zone = TimeZone::load("Asia/Ho_Chi_Minh");
  EXPECT_TRUE(zone);
  return zone.value_or(TimeZone::utc());
}

store::Meeting series(sys_seconds start, store::RecurrenceKind kind, std::uint8_t days = 0) {
  store::Meeting m;
  m.id = "s";
  m.start = start;
  m.end = start + 1h;
  m.recurrence.kind = kind;
  m.recurrence.weekdays = days;
  return m;
}

TEST(RecurrenceRuleTest, DailyCrossesTheMonthAndYearEnd) {
  // 31 Dec 2026 08:00 ICT = 01:00 UTC.
  RecurrenceRule rule(series(utc(2026, 12, 31, 1, 0), store::RecurrenceKind::Daily), hcm());
  EXPECT_EQ(rule.nextStart(utc(2026, 12, 1, 0, 0)), utc(2026, 12, 31, 1, 0));
  EXPECT_EQ(rule.nextStart(utc(2026, 12, 31, 1, 1)), utc(2027, 1, 1, 1, 0));
  EXPECT_EQ(rule.duration(), 1h);
}

TEST(RecurrenceRuleTest, LocalMidnightDiffersFromUtcDate) {
  // 06:30 ICT on 1 March is 23:30 UTC on 28 February: the date is taken in the meeting's zone.
  RecurrenceRule rule(series(utc(2027, 2, 28, 23, 30), store::RecurrenceKind::Monthly), hcm());
  EXPECT_EQ(rule.nextStart(utc(2027, 3, 1, 0, 0)), utc(2027, 3, 31, 23, 30));  // 1 April 06:30 ICT
}

TEST(RecurrenceRuleTest, MonthlyOnThe31stFallsOnTheLastDayOfShortMonths) {
  RecurrenceRule rule(series(utc(2027, 1, 31, 2, 0), store::RecurrenceKind::Monthly), hcm());
  EXPECT_EQ(rule.nextStart(utc(2027, 2, 1, 0, 0)), utc(2027, 2, 28, 2, 0));
  EXPECT_EQ(rule.nextStart(utc(2027, 3, 1, 0, 0)), utc(2027, 3, 31, 2, 0));
  EXPECT_EQ(rule.nextStart(utc(2027, 4, 1, 0, 0)), utc(2027, 4, 30, 2, 0));
}

TEST(RecurrenceRuleTest, WeeklyOnGivenDays) {
  // Start Monday 30 Nov 2026; Mondays (bit 0) and Fridays (bit 4).
  RecurrenceRule rule(series(utc(2026, 11, 30, 1, 0), store::RecurrenceKind::Weekly, 0b0010001), hcm());
  EXPECT_EQ(rule.nextStart(utc(2026, 11, 30, 2, 0)), utc(2026, 12, 4, 1, 0));
  EXPECT_EQ(rule.nextStart(utc(2026, 12, 4, 2, 0)), utc(2026, 12, 7, 1, 0));
}

TEST(RecurrenceRuleTest, UntilStopsTheSeries) {
  auto m = series(utc(2026, 11, 30, 1, 0), store::RecurrenceKind::Daily);
  m.recurrence.until = utc(2026, 12, 1, 23, 0);
  RecurrenceRule rule(m, hcm());
  EXPECT_EQ(rule.nextStart(utc(2026, 12, 1, 0, 0)), utc(2026, 12, 1, 1, 0));
  EXPECT_EQ(rule.nextStart(utc(2026, 12, 1, 2, 0)), std::nullopt);
}

TEST(RecurrenceRuleTest, NoRecurrenceHasOnlyItsOwnStart) {
  RecurrenceRule rule(series(utc(2026, 11, 30, 1, 0), store::RecurrenceKind::None), hcm());
  EXPECT_EQ(rule.nextStart(utc(2026, 11, 1, 0, 0)), utc(2026, 11, 30, 1, 0));
  EXPECT_EQ(rule.nextStart(utc(2026, 11, 30, 2, 0)), std::nullopt);
}

}  // namespace
}  // namespace diemcau::signaling::scheduler
