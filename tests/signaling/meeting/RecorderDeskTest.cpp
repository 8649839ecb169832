#include "signaling/meeting/RecorderDesk.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace diemcau::signaling::meeting {
namespace {

TEST(RecorderDeskTest, RunsJobsInOrderOffTheCallersThread) {
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  {
    RecorderDesk desk;
    for (int i = 0; i < 20; ++i) {
      desk.run([&, i] {
        std::lock_guard lock(mutex);
        order.push_back(i);
        threads.push_back(std::this_thread::get_id());
      });
    }
  }  // the destructor runs what is queued before it joins
  ASSERT_EQ(order.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(order[i], i);
  for (const auto& id : threads) {
    EXPECT_NE(id, std::this_thread::get_id());
    EXPECT_EQ(id, threads.front());  // one thread: a stop never overlaps a build
  }
}

TEST(RecorderDeskTest, AJobThatThrowsDoesNotStopTheOthers) {
  std::atomic<int> ran{0};
  {
    RecorderDesk desk;
    desk.run([] { throw std::runtime_error("pipeline"); });
    desk.run([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 1);
}

TEST(RecorderDeskTest, TheLastReferenceMayBeDroppedByOneOfItsOwnJobs) {
  auto desk = std::make_shared<RecorderDesk>();
  std::atomic<bool> ran{false};
  // The job holds the only reference when it finishes: the desk is destroyed on its own thread.
  desk->run([keep = desk, &ran]() mutable {
    ran = true;
    keep.reset();
  });
  desk.reset();
  for (int i = 0; i < 200 && !ran; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(ran.load());
}

}  // namespace
}  // namespace diemcau::signaling::meeting
