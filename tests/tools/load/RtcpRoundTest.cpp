#include "tools/load/RtcpRound.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Worker.hpp"

namespace diemcau::load {
namespace {

using namespace std::chrono_literals;

struct Counting final : RtcpRound::Member {
  void onRtcpDue() override {
    ++due;
    if (round != nullptr && leaveOnFirst) round->remove(*this);
  }
  int due = 0;
  RtcpRound* round = nullptr;
  bool leaveOnFirst = false;
};

TEST(RtcpRoundTest, EveryMemberReportsOncePerRoundOnOneTimer) {
  media::Worker worker("w");
  std::vector<Counting> members(25);
  std::unique_ptr<RtcpRound> round;
  media::invokeAndWait(worker, [&] {
    round = std::make_unique<RtcpRound>(worker, 100ms);  // slices of 10 ms
    for (auto& member : members) round->add(member);
  });
  // Until four rounds' worth of reports were sent (however slow the machine), then: nobody left
  // out, nobody ahead by more than the round in progress.
  auto total = [&] {
    int sum = 0;
    for (const auto& member : members) sum += member.due;
    return sum;
  };
  for (int i = 0; i < 500 && media::invokeAndWait(worker, total) < 4 * static_cast<int>(members.size()); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  media::invokeAndWait(worker, [&] { round.reset(); });
  ASSERT_GE(total(), 4 * static_cast<int>(members.size()));
  const auto [fewest, most] = std::minmax_element(members.begin(), members.end(),
                                                  [](const Counting& a, const Counting& b) { return a.due < b.due; });
  EXPECT_GE(fewest->due, 4);
  EXPECT_LE(most->due - fewest->due, 1);  // a round in progress at most
}

TEST(RtcpRoundTest, AMemberThatLeavesIsNotCalledAgainEvenFromItsOwnReport) {
  media::Worker worker("w");
  std::vector<Counting> members(12);
  std::unique_ptr<RtcpRound> round;
  media::invokeAndWait(worker, [&] {
    round = std::make_unique<RtcpRound>(worker, 50ms);
    for (auto& member : members) {
      member.round = round.get();
      round->add(member);
    }
    members[3].leaveOnFirst = true;  // leaves while the round is running it
    round->remove(members[7]);       // leaves before any round
    round->remove(members[7]);       // twice: nothing
  });
  // Until member 0 (always in the round) was called three times.
  for (int i = 0; i < 500 && media::invokeAndWait(worker, [&] { return members[0].due; }) < 3; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  const size_t left = media::invokeAndWait(worker, [&] { return round->size(); });
  media::invokeAndWait(worker, [&] { round.reset(); });
  EXPECT_EQ(left, members.size() - 2);
  EXPECT_EQ(members[3].due, 1);
  EXPECT_EQ(members[7].due, 0);
  EXPECT_GE(members[0].due, 3);
}

}  // namespace
}  // namespace diemcau::load
