#include "signaling/scheduler/MeetingScheduler.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>

#include "signaling/store/SqliteStore.hpp"

namespace diemcau::signaling::scheduler {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using store::Meeting;
using store::MeetingState;

sys_seconds utc(int y, unsigned mo, unsigned d, int h, int mi) {
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi};
}

// Records every event as "<kind>:<meeting id>".
class RecordingListener final : public MeetingScheduler::Listener {
 public:
  void onMeetingOpen(const Meeting& m) override { events.push_back("open:" + m.id); }
  void onMeetingLive(const Meeting& m) override { events.push_back("live:" + m.id); }
  void onMeetingEndingSoon(const Meeting& m) override { events.push_back("soon:" + m.id); }
  void onMeetingEnded(const Meeting& m) override { events.push_back("ended:" + m.id); }
  std::vector<std::string> take() { return std::exchange(events, {}); }
  std::vector<std::string> events;
};

void seedSites(store::Store& s) {
  s.addSite({"huyen", "Hội trường UBND huyện", store::SiteKind::Hall, "", {}});
  s.addSite({"lang-can", "Xã Lăng Can", store::SiteKind::Commune, "", {}});
}

Meeting meeting(std::string id, sys_seconds start, minutes length) {
  Meeting m;
  m.id = std::move(id);
  m.title = "Giao ban";
  m.hostSiteId = "huyen";
  m.invitedSiteIds = {"lang-can"};
  m.start = start;
  m.end = start + length;
  m.lobbyLead = 10min;
  return m;
}

using Events = std::vector<std::string>;

class MeetingSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override { seedSites(store_); }
  MeetingState state(const std::string& id) { return store_.findMeeting(id)->state; }

  store::SqliteStore store_{":memory:"};
  RecordingListener listener_;
  MeetingScheduler scheduler_{store_, listener_};
};

TEST_F(MeetingSchedulerTest, WalksEveryTransitionAtItsTime) {
  const auto start = utc(2026, 12, 1, 1, 0);
  store_.addMeeting(meeting("m", start, 60min));

  EXPECT_EQ(scheduler_.runDue(start - 11min), start - 10min);  // next: lobby opens
  EXPECT_EQ(state("m"), MeetingState::Scheduled);
  EXPECT_TRUE(listener_.take().empty());

  EXPECT_EQ(scheduler_.runDue(start - 10min), start);
  EXPECT_EQ(state("m"), MeetingState::Open);
  EXPECT_EQ(listener_.take(), Events{"open:m"});

  EXPECT_EQ(scheduler_.runDue(start), start + 55min);  // next: the ending-soon warning
  EXPECT_EQ(state("m"), MeetingState::Live);
  EXPECT_EQ(listener_.take(), Events{"live:m"});

  EXPECT_EQ(scheduler_.runDue(start + 55min), start + 65min);  // next: end + 5 min grace
  EXPECT_EQ(listener_.take(), Events{"soon:m"});
  scheduler_.runDue(start + 56min);
  EXPECT_TRUE(listener_.take().empty()) << "the warning is given once";

  EXPECT_EQ(scheduler_.runDue(start + 64min), start + 65min);
  EXPECT_EQ(state("m"), MeetingState::Live) << "grace period after the scheduled end";
  EXPECT_EQ(scheduler_.runDue(start + 65min), std::nullopt);
  EXPECT_EQ(state("m"), MeetingState::Ended);
  EXPECT_EQ(listener_.take(), Events{"ended:m"});
}

TEST_F(MeetingSchedulerTest, LateStartWalksThroughOpenToLive) {
  const auto start = utc(2026, 12, 1, 1, 0);
  store_.addMeeting(meeting("m", start, 60min));
  scheduler_.runDue(start + 5min);
  EXPECT_EQ(listener_.take(), (Events{"open:m", "live:m"}));
}

TEST_F(MeetingSchedulerTest, MissedMeetingEndsWithoutOpeningARoom) {
  const auto start = utc(2026, 12, 1, 1, 0);
  store_.addMeeting(meeting("m", start, 60min));
  scheduler_.runDue(start + 3h);
  EXPECT_EQ(listener_.take(), Events{"ended:m"});
  EXPECT_EQ(state("m"), MeetingState::Ended);
}

TEST_F(MeetingSchedulerTest, CancelClosesARunningRoomOnly) {
  const auto start = utc(2026, 12, 1, 1, 0);
  store_.addMeeting(meeting("a", start, 60min));
  store_.addMeeting(meeting("b", start + 1h, 60min));
  scheduler_.runDue(start);
  listener_.take();
  EXPECT_TRUE(scheduler_.cancel("a", start + 1min));
  EXPECT_TRUE(scheduler_.cancel("b", start + 1min));
  EXPECT_EQ(listener_.take(), Events{"ended:a"});
  EXPECT_EQ(state("a"), MeetingState::Cancelled);
  EXPECT_FALSE(scheduler_.cancel("a", start + 2min));
  EXPECT_EQ(scheduler_.runDue(start + 3h), std::nullopt);
  EXPECT_TRUE(listener_.take().empty());
}

TEST(MeetingSchedulerRestartTest, LiveMeetingComesBackAfterRestart) {
  auto dir = std::filesystem::temp_directory_path() / ("diemcau-sched-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "diemcau.db").string();
  const auto start = utc(2026, 12, 1, 1, 0);
  {
    store::SqliteStore s(path);
    seedSites(s);
    s.addMeeting(meeting("m", start, 60min));
    RecordingListener l;
    MeetingScheduler sched(s, l);
    sched.runDue(start + 1min);
    EXPECT_EQ(l.take(), (Events{"open:m", "live:m"}));
  }  // the process dies here
  store::SqliteStore s(path);
  RecordingListener l;
  MeetingScheduler sched(s, l);
  EXPECT_EQ(sched.recover(start + 20min), start + 55min);
  EXPECT_EQ(l.take(), Events{"live:m"}) << "the room is re-created, not re-opened";
  EXPECT_EQ(s.findMeeting("m")->state, MeetingState::Live);
  std::filesystem::remove_all(dir);
}

TEST_F(MeetingSchedulerTest, WeeklySeriesCreatesEachOccurrenceWhenItsLobbyOpens) {
  // Monday 30 Nov 2026 08:00 in Ho Chi Minh City = 01:00 UTC; weekly on Mondays and Thursdays.
  auto series = meeting("w", utc(2026, 11, 30, 1, 0), 90min);
  series.recurrence = {store::RecurrenceKind::Weekly, 0b0001001, std::nullopt};
  store_.addMeeting(series);

  auto wake = scheduler_.runDue(utc(2026, 11, 30, 0, 0));
  EXPECT_EQ(wake, utc(2026, 11, 30, 0, 50));
  EXPECT_FALSE(store_.findMeeting("w-20261130"));

  scheduler_.runDue(utc(2026, 11, 30, 0, 50));
  ASSERT_TRUE(store_.findMeeting("w-20261130"));
  EXPECT_EQ(store_.findMeeting("w-20261130")->seriesId, "w");
  EXPECT_EQ(listener_.take(), Events{"open:w-20261130"});

  // After that occurrence ends, the next wake-up is Thursday's lobby.
  scheduler_.runDue(utc(2026, 11, 30, 2, 35));
  EXPECT_EQ(state("w-20261130"), MeetingState::Ended);
  EXPECT_EQ(scheduler_.runDue(utc(2026, 11, 30, 3, 0)), utc(2026, 12, 3, 0, 50));
  scheduler_.runDue(utc(2026, 12, 3, 1, 0));
  EXPECT_EQ(state("w-20261203"), MeetingState::Live);
  EXPECT_EQ(state("w"), MeetingState::Scheduled) << "the series itself never goes live";
}

TEST_F(MeetingSchedulerTest, SeriesEndsAfterUntil) {
  auto series = meeting("d", utc(2026, 12, 30, 1, 0), 30min);
  series.recurrence = {store::RecurrenceKind::Daily, 0, utc(2026, 12, 31, 12, 0)};
  store_.addMeeting(series);
  scheduler_.runDue(utc(2026, 12, 31, 1, 0));
  EXPECT_TRUE(store_.findMeeting("d-20261231"));
  scheduler_.runDue(utc(2027, 1, 1, 3, 0));
  EXPECT_EQ(state("d"), MeetingState::Ended);
  EXPECT_FALSE(store_.findMeeting("d-20270101"));
}

}  // namespace
}  // namespace diemcau::signaling::scheduler
