#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Timer.hpp"
#include "media/worker/Worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

void sleepFor(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

TEST(TimerTest, OneShotFiresOnceAfterItsTimeout) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::atomic<long> elapsedMs{-1};
  std::unique_ptr<Timer> timer;
  auto start = Clock::now();
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] {
      elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
      ++fired;
      EXPECT_TRUE(worker.isCurrentThread());
    });
    timer->start(50ms);
  });
  sleepFor(250ms);
  EXPECT_EQ(fired.load(), 1);
  EXPECT_GE(elapsedMs.load(), 50);
  EXPECT_FALSE(invokeAndWait(worker, [&] { return timer->isActive(); }));
  invokeAndWait(worker, [&] { timer.reset(); });
}

TEST(TimerTest, PeriodicFiresRepeatedlyUntilStopped) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::unique_ptr<Timer> timer;
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] { ++fired; });
    timer->start(10ms, 20ms);
  });
  sleepFor(300ms);
  int atStop = invokeAndWait(worker, [&] {
    timer->stop();
    return fired.load();
  });
  // 10 ms + n * 20 ms within 300 ms: about 14; allow a loaded machine to be slow.
  EXPECT_GE(atStop, 5);
  EXPECT_LE(atStop, 15);
  sleepFor(100ms);
  EXPECT_EQ(fired.load(), atStop);
  invokeAndWait(worker, [&] { timer.reset(); });
}

TEST(TimerTest, DestroyingCancels) {
  Worker worker("w");
  std::atomic<int> fired{0};
  invokeAndWait(worker, [&] {
    auto timer = std::make_unique<Timer>(worker, [&] { ++fired; });
    timer->start(20ms);
  });  // destroyed at once
  sleepFor(100ms);
  EXPECT_EQ(fired.load(), 0);
}

TEST(TimerTest, RestartPushesTheExpiryBack) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::unique_ptr<Timer> timer;
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] { ++fired; });
    timer->start(400ms);
  });
  // Re-arm every 50 ms: the 400 ms expiry is never reached (wide margin for a loaded machine).
  for (int i = 0; i < 5; ++i) {
    sleepFor(50ms);
    invokeAndWait(worker, [&] { timer->restart(); });
  }
  EXPECT_EQ(fired.load(), 0);
  sleepFor(600ms);
  EXPECT_EQ(fired.load(), 1);
  invokeAndWait(worker, [&] { timer.reset(); });
}

TEST(TimerTest, CallbackMayDestroyItsOwnTimer) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::unique_ptr<Timer> timer;
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] {
      ++fired;
      timer.reset();
    });
    timer->start(5ms, 5ms);
  });
  sleepFor(100ms);
  EXPECT_EQ(fired.load(), 1);
  EXPECT_TRUE(invokeAndWait(worker, [&] { return timer == nullptr; }));
}

TEST(TimerTest, CallbackMayReArmAOneShot) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::unique_ptr<Timer> timer;
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] {
      // Exponential back-off as DTLS retransmission does: 10, 20, 40 ms, then give up.
      if (++fired < 3) timer->start(timer->timeout() * 2);
    });
    timer->start(10ms);
  });
  sleepFor(300ms);
  EXPECT_EQ(fired.load(), 3);
  invokeAndWait(worker, [&] { timer.reset(); });
}

TEST(TimerTest, ExceptionInCallbackDoesNotStopAPeriodicTimer) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::unique_ptr<Timer> timer;
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] {
      ++fired;
      throw std::runtime_error("timer boom");
    });
    timer->start(5ms, 5ms);
  });
  sleepFor(100ms);
  EXPECT_GE(fired.load(), 2);
  invokeAndWait(worker, [&] { timer.reset(); });
}

TEST(TimerTest, StartAtFiresAtAnAbsoluteTimeAndItsCallbackMayReArmIt) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::atomic<bool> early{false};
  std::atomic<bool> activeInCallback{true};
  std::unique_ptr<Timer> timer;
  int64_t due = 0;
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] {
      if (g_get_monotonic_time() < due) early = true;
      activeInCallback = timer->isActive();  // a fired one-shot is no longer armed
      // A paced sender: the next packet 10 ms on, five packets in all.
      if (++fired < 5) {
        due = g_get_monotonic_time() + 10'000;
        timer->startAt(due);
      }
    });
    due = g_get_monotonic_time() + 30'000;
    timer->startAt(due);
    EXPECT_TRUE(timer->isActive());
  });
  sleepFor(300ms);
  EXPECT_EQ(fired.load(), 5);
  EXPECT_FALSE(early.load());
  EXPECT_FALSE(activeInCallback.load());
  EXPECT_FALSE(invokeAndWait(worker, [&] { return timer->isActive(); }));
  invokeAndWait(worker, [&] { timer.reset(); });
}

TEST(TimerTest, CallbackMayStopAPeriodicTimerAndStartItAsAOneShot) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::unique_ptr<Timer> timer;
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] {
      if (++fired == 1) {
        timer->stop();
        timer->start(20ms);  // once more, then never again
      }
    });
    timer->start(5ms, 5ms);
  });
  sleepFor(200ms);
  EXPECT_EQ(fired.load(), 2);
  EXPECT_FALSE(invokeAndWait(worker, [&] { return timer->isActive(); }));
  invokeAndWait(worker, [&] { timer.reset(); });
}

TEST(TimerTest, APeriodicTimerStaysArmedAcrossItsExpiries) {
  Worker worker("w");
  std::atomic<int> fired{0};
  std::atomic<int> armedInCallback{0};
  std::unique_ptr<Timer> timer;
  invokeAndWait(worker, [&] {
    timer = std::make_unique<Timer>(worker, [&] {
      ++fired;
      if (timer->isActive()) ++armedInCallback;
    });
    timer->start(5ms, 5ms);
  });
  sleepFor(100ms);
  invokeAndWait(worker, [&] { timer->stop(); });
  const int count = fired.load();
  EXPECT_GE(count, 3);
  EXPECT_EQ(armedInCallback.load(), count);
  sleepFor(50ms);
  EXPECT_EQ(fired.load(), count);  // stopped means stopped
  invokeAndWait(worker, [&] { timer.reset(); });
}

}  // namespace
}  // namespace diemcau::media
