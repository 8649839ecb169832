#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace diemcau::media {
namespace {

TEST(WorkerTest, RunsTasksOnItsOwnThreadInPostOrder) {
  Worker worker("w");
  std::vector<int> seen;  // touched only on the worker thread until the final invokeAndWait
  std::atomic<bool> allOnWorker{true};
  for (int i = 0; i < 1000; ++i) {
    worker.post([&, i] {
      if (!worker.isCurrentThread()) allOnWorker = false;
      seen.push_back(i);
    });
  }
  auto copy = invokeAndWait(worker, [&] { return seen; });
  ASSERT_EQ(copy.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(copy[i], i);
  EXPECT_TRUE(allOnWorker);
  EXPECT_FALSE(worker.isCurrentThread());
}

TEST(WorkerTest, KeepsPerProducerOrderWithManyProducers) {
  Worker worker("w");
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 2000;
  std::vector<int> last(kProducers, -1);
  std::atomic<int> outOfOrder{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        worker.post([&, p, i] {
          if (last[p] != i - 1) ++outOfOrder;
          last[p] = i;
        });
      }
    });
  }
  for (auto& t : producers) t.join();
  auto result = invokeAndWait(worker, [&] { return last; });
  EXPECT_EQ(outOfOrder.load(), 0);
  for (int p = 0; p < kProducers; ++p) EXPECT_EQ(result[p], kPerProducer - 1);
}

TEST(WorkerTest, TaskPostedFromATaskRunsAfterIt) {
  Worker worker("w");
  std::vector<int> order;
  invokeAndWait(worker, [&] {
    worker.post([&] { order.push_back(2); });
    order.push_back(1);
  });
  auto copy = invokeAndWait(worker, [&] { return order; });
  EXPECT_EQ(copy, (std::vector<int>{1, 2}));
}

TEST(WorkerTest, ExceptionInTaskIsContainedAndLaterTasksRun) {
  Worker worker("w");
  worker.post([] { throw std::runtime_error("boom"); });
  worker.post([] { throw 42; });
  EXPECT_EQ(invokeAndWait(worker, [] { return 7; }), 7);
}

TEST(WorkerTest, InvokeAndWaitRethrowsTheTaskException) {
  Worker worker("w");
  EXPECT_THROW(invokeAndWait(worker, []() -> int { throw std::logic_error("bad"); }), std::logic_error);
}

TEST(WorkerTest, InvokeAndWaitOnTheWorkerItselfRunsInline) {
  Worker worker("w");
  int value = invokeAndWait(worker, [&] { return invokeAndWait(worker, [] { return 5; }) + 1; });
  EXPECT_EQ(value, 6);
}

TEST(WorkerTest, StopRunsQueuedTasksThenRefusesNewOnes) {
  std::atomic<int> ran{0};
  auto worker = std::make_unique<Worker>("w");
  // Hold the worker busy so the following posts are queued when stop() is called.
  std::atomic<bool> release{false};
  worker->post([&] {
    while (!release) std::this_thread::yield();
  });
  for (int i = 0; i < 100; ++i) worker->post([&] { ++ran; });
  std::thread stopper([&] { worker->stop(); });
  // Wait until stop() closed the mailbox, then unblock the worker.
  while (worker->post([&] { ++ran; })) std::this_thread::yield();
  int acceptedBeforeClose = ran.load();
  EXPECT_EQ(acceptedBeforeClose, 0);  // nothing ran yet: the worker is still blocked
  release = true;
  stopper.join();
  EXPECT_GE(ran.load(), 100);
  int afterStop = ran.load();
  EXPECT_FALSE(worker->post([&] { ++ran; }));
  EXPECT_THROW(invokeAndWait(*worker, [] {}), WorkerStoppedError);
  worker.reset();
  EXPECT_EQ(ran.load(), afterStop);
}

TEST(WorkerTest, ContextIsThreadDefaultOnTheWorker) {
  Worker worker("w");
  GMainContext* inside = invokeAndWait(worker, [] { return g_main_context_get_thread_default(); });
  EXPECT_EQ(inside, worker.context());
  EXPECT_NE(g_main_context_get_thread_default(), worker.context());
}

}  // namespace
}  // namespace diemcau::media
