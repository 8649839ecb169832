#include "signaling/scheduler/TimeText.hpp"

#include <gtest/gtest.h>

namespace diemcau::signaling::scheduler {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

sys_seconds utc(int y, unsigned mo, unsigned d, int h, int mi) {
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi};
}

TEST(TimeZoneTest, HoChiMinhIsUtcPlus7AndWasUtcPlus8In1970) {
  auto zone = TimeZone::load("Asia/Ho_Chi_Minh");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->offsetAt(utc(2026, 6, 1, 0, 0)), 7h);
  EXPECT_EQ(zone->offsetAt(utc(1970, 6, 1, 0, 0)), 8h);  // Saigon time before 1975
  EXPECT_EQ(zone->toUtc(zone->toLocal(utc(2026, 6, 1, 3, 4))), utc(2026, 6, 1, 3, 4));
}

TEST(TimeZoneTest, BerlinFollowsDst) {
  auto zone = TimeZone::load("Europe/Berlin");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->offsetAt(utc(2026, 1, 15, 12, 0)), 1h);
  EXPECT_EQ(zone->offsetAt(utc(2026, 7, 15, 12, 0)), 2h);
}

TEST(TimeZoneTest, ListsOffsetChangesInARange) {
  auto berlin = TimeZone::load("Europe/Berlin");
  ASSERT_TRUE(berlin);
  // 2027: summer time from 28 March 01:00 UTC, winter time from 31 October 01:00 UTC.
  auto changes = berlin->changesBetween(utc(2026, 12, 1, 0, 0), utc(2027, 12, 1, 0, 0));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].at, utc(2027, 3, 28, 1, 0));
  EXPECT_EQ(changes[0].from, 1h);
  EXPECT_EQ(changes[0].to, 2h);
  EXPECT_EQ(changes[1].at, utc(2027, 10, 31, 1, 0));
  EXPECT_EQ(changes[1].to, 1h);
  EXPECT_EQ(berlin->changesBetween(utc(2026, 12, 1, 0, 0), utc(2030, 1, 1, 0, 0), 3).size(), 3u);
  auto hcm = TimeZone::load("Asia/Ho_Chi_Minh");
  ASSERT_TRUE(hcm);
  EXPECT_TRUE(hcm->changesBetween(utc(2026, 1, 1, 0, 0), utc(2036, 1, 1, 0, 0)).empty());
}

TEST(TimeZoneTest, RefusesUnsafeOrUnknownNames) {
  EXPECT_FALSE(TimeZone::load("../../etc/passwd"));
  EXPECT_FALSE(TimeZone::load("/etc/passwd"));
  EXPECT_FALSE(TimeZone::load("Mars/Olympus_Mons"));
  EXPECT_FALSE(TimeZone::parse("x", "TZif2 but far too short"));
  EXPECT_FALSE(TimeZone::parse("x", ""));
}

TEST(TimeTextTest, ParsesIsoAndWallTimes) {
  auto zone = *TimeZone::load("Asia/Ho_Chi_Minh");
  auto now = utc(2026, 11, 28, 0, 0);
  EXPECT_EQ(parseInstant("2026-12-01 08:00", zone, now), utc(2026, 12, 1, 1, 0));
  EXPECT_EQ(parseInstant("2026-12-01T08:00", zone, now), utc(2026, 12, 1, 1, 0));
  EXPECT_EQ(parseInstant("2026-12-01T08:00:30+07:00", zone, now), utc(2026, 12, 1, 1, 0) + 30s);
  EXPECT_EQ(parseInstant("2026-12-01T01:00:00Z", zone, now), utc(2026, 12, 1, 1, 0));
  EXPECT_EQ(parseInstant("2026-12-01T03:00-02:00", zone, now), utc(2026, 12, 1, 5, 0));
  EXPECT_EQ(parseInstant("now", zone, now), now);
  for (auto bad : {"", "2026-13-01 08:00", "2026-02-30 08:00", "2026-12-01 24:00", "2026-12-01", "tomorrow",
                   "2026-12-01 08:00+7", "2026-12-01 08:00Zjunk"}) {
    EXPECT_FALSE(parseInstant(bad, zone, now)) << bad;
  }
}

TEST(TimeTextTest, FormatsUtcAndLocal) {
  auto zone = *TimeZone::load("Asia/Ho_Chi_Minh");
  EXPECT_EQ(formatUtc(utc(2026, 12, 1, 1, 0)), "2026-12-01T01:00:00Z");
  EXPECT_EQ(formatLocal(utc(2026, 12, 1, 1, 0), zone), "2026-12-01 08:00");
}

TEST(TimeTextTest, ParsesDurations) {
  EXPECT_EQ(parseDuration("90m"), 90min);
  EXPECT_EQ(parseDuration("2h"), 2h);
  EXPECT_EQ(parseDuration("1h30m"), 90min);
  EXPECT_EQ(parseDuration("45"), 45min);
  EXPECT_EQ(parseDuration("1d"), 24h);
  for (auto bad : {"", "0m", "-5m", "2x", "h", "99d", "1h30"}) EXPECT_FALSE(parseDuration(bad)) << bad;
}

}  // namespace
}  // namespace diemcau::signaling::scheduler
