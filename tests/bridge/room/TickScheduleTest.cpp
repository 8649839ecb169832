#include "bridge/room/TickSchedule.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace diemcau::bridge {
namespace {

constexpr unsigned kSlicesPerSecond = TickSchedule::kSlices * TickSchedule::kTicksPerReport;

TEST(TickSchedule, EveryParticipantTicksEveryTickAndReportsOnceASecond) {
  TickSchedule schedule;
  std::vector<unsigned> slots;
  for (int i = 0; i < 330; ++i) slots.push_back(schedule.nextSlot());
  std::vector<unsigned> ticks(slots.size()), reports(slots.size());
  for (unsigned s = 0; s < 3 * kSlicesPerSecond; ++s, schedule.advance()) {
    for (size_t p = 0; p < slots.size(); ++p) {
      if (!schedule.ticks(slots[p])) continue;
      ++ticks[p];
      if (schedule.reports(slots[p])) ++reports[p];
    }
  }
  for (size_t p = 0; p < slots.size(); ++p) {
    EXPECT_EQ(ticks[p], 3 * TickSchedule::kTicksPerReport) << "participant " << p;
    EXPECT_EQ(reports[p], 3u) << "participant " << p;
  }
}

TEST(TickSchedule, SpreadsTheWorkOverTheSlices) {
  TickSchedule schedule;
  std::vector<unsigned> slots;
  for (int i = 0; i < 330; ++i) slots.push_back(schedule.nextSlot());
  unsigned mostTicking = 0, mostReporting = 0;
  for (unsigned s = 0; s < kSlicesPerSecond; ++s, schedule.advance()) {
    unsigned ticking = 0, reporting = 0;
    for (unsigned slot : slots) {
      if (!schedule.ticks(slot)) continue;
      ++ticking;
      if (schedule.reports(slot)) ++reporting;
    }
    mostTicking = std::max(mostTicking, ticking);
    mostReporting = std::max(mostReporting, reporting);
  }
  EXPECT_EQ(mostTicking, 33u);   // 330 / 10 slices
  EXPECT_EQ(mostReporting, 4u);  // 330 / 100 slots, rounded up
}

TEST(TickSchedule, TheFirstTenReportOnTheTenthWholeTick) {
  TickSchedule schedule;
  const unsigned first = schedule.nextSlot();
  for (int i = 0; i < 8; ++i) schedule.nextSlot();
  const unsigned tenth = schedule.nextSlot();
  const unsigned eleventh = schedule.nextSlot();
  const unsigned slots[] = {first, tenth, eleventh};
  std::vector<unsigned> reportTicks[3];
  for (unsigned s = 0; s < kSlicesPerSecond; ++s, schedule.advance()) {
    const unsigned tick = s / TickSchedule::kSlices + 1;  // 1-based whole tick
    for (unsigned i = 0; i < 3; ++i) {
      if (schedule.ticks(slots[i]) && schedule.reports(slots[i])) reportTicks[i].push_back(tick);
    }
  }
  EXPECT_EQ(reportTicks[0], std::vector<unsigned>{10});
  EXPECT_EQ(reportTicks[1], std::vector<unsigned>{10});
  EXPECT_EQ(reportTicks[2], std::vector<unsigned>{9});  // the next ten report a tick earlier
}

TEST(TickSchedule, TheRoomWidePartRunsOncePerTick) {
  TickSchedule schedule;
  unsigned lastSlices = 0;
  for (unsigned s = 0; s < 5 * TickSchedule::kSlices; ++s, schedule.advance()) {
    if (schedule.lastSliceOfTick()) ++lastSlices;
  }
  EXPECT_EQ(lastSlices, 5u);
}

}  // namespace
}  // namespace diemcau::bridge
