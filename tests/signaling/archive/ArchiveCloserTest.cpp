// ArchiveWorker and ArchiveCloser: closing a meeting's archive hashes its recordings on the worker, never
// on the caller's (signaling) thread, and the result comes back through the caller's post.
#include "signaling/archive/ArchiveCloser.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <vector>

#include "signaling/archive/MeetingArchive.hpp"
#include "signaling/archive/Sha256Sums.hpp"
#include "signaling/store/SqliteStore.hpp"
#include "tests/signaling/archive/ArchiveFixture.hpp"

namespace diemcau::signaling::archive {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// Stands in for the io_context's post: functions queue here and run when the test says so.
class PostQueue {
 public:
  ArchiveCloser::Post post() {
    return [this](std::function<void()> f) {
      std::lock_guard lock(mutex_);
      posted_.push_back(std::move(f));
      arrived_.notify_all();
    };
  }
  /// Waits (at most 10 s) for one posted function and runs it here.
  bool runOne() {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, 10s, [this] { return !posted_.empty(); })) return false;
    auto f = std::move(posted_.front());
    posted_.erase(posted_.begin());
    lock.unlock();
    f();
    return true;
  }
  size_t size() const {
    std::lock_guard lock(mutex_);
    return posted_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::function<void()>> posted_;
};

class ArchiveCloserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(dataDir_);
    // The store stays empty: the minutes then name the sites by id, which is all these tests need.
    folder_ = dataDir_ / "archive" / test::districtMeeting().id;
    fs::create_directories(folder_);
    std::ofstream(folder_ / "events.jsonl") << test::districtEvents();
    std::ofstream(folder_ / "son-phu-20261201T010300Z.mkv") << std::string(3 << 20, 'm');
  }
  void TearDown() override { fs::remove_all(dataDir_); }

  fs::path dataDir_ = fs::temp_directory_path() / ("diemcau-closer-" + std::to_string(::getpid()) + "-" +
                                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  store::SqliteStore store_{":memory:"};
  fs::path folder_;
  PostQueue queue_;
};

TEST(ArchiveWorkerTest, RunsJobsInOrderOnItsOwnThreadAndSurvivesAThrowingJob) {
  std::vector<int> order;
  std::promise<std::thread::id> ran;
  {
    ArchiveWorker worker;
    worker.post([&] { order.push_back(1); });
    worker.post([] { throw std::runtime_error("disk gone"); });
    worker.post([&] {
      order.push_back(2);
      ran.set_value(std::this_thread::get_id());
    });
    auto done = ran.get_future();
    ASSERT_EQ(done.wait_for(10s), std::future_status::ready);
    EXPECT_NE(done.get(), std::this_thread::get_id());
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(ArchiveWorkerTest, DestructionFinishesWhatWasPosted) {
  std::atomic<int> ran{0};
  {
    ArchiveWorker worker;
    std::promise<void> gate;
    auto opened = gate.get_future().share();
    worker.post([opened] { opened.wait(); });
    for (int i = 0; i < 5; ++i) worker.post([&] { ++ran; });
    EXPECT_EQ(worker.pending(), 6u);
    gate.set_value();
  }
  EXPECT_EQ(ran.load(), 5);
}

TEST_F(ArchiveCloserTest, MinutesNowSumsOnTheWorkerResultPostedBack) {
  ArchiveCloser closer(dataDir_, store_, queue_.post());
  // Hold the worker: whatever close() leaves to it cannot have run when close() returns.
  std::promise<void> gate;
  auto opened = gate.get_future().share();
  closer.worker().post([opened] { opened.wait(); });

  std::optional<ArchiveCloser::Closed> result;
  std::thread::id doneOn;
  closer.close(test::districtMeeting().id, [&](const ArchiveCloser::Closed& closed) {
    result = closed;
    doneOn = std::this_thread::get_id();
  });
  EXPECT_TRUE(fs::exists(folder_ / "minutes.json"));
  EXPECT_TRUE(fs::exists(folder_ / "minutes.md"));
  EXPECT_FALSE(fs::exists(folder_ / kSumsFile)) << "the recordings were hashed on the calling thread";
  EXPECT_EQ(queue_.size(), 0u);
  EXPECT_FALSE(result);

  gate.set_value();
  ASSERT_TRUE(queue_.runOne()) << "the result never came back";
  ASSERT_TRUE(result);
  EXPECT_EQ(doneOn, std::this_thread::get_id()) << "done runs where post runs it";
  EXPECT_TRUE(result->ok) << result->error;
  EXPECT_EQ(result->meetingId, test::districtMeeting().id);
  EXPECT_EQ(result->recordings, 1u);
  const VerifyResult verified = verifySha256Sums(folder_);
  EXPECT_TRUE(verified.ok());
  EXPECT_EQ(verified.checked, 4u);  // events, both minutes, the recording
}

TEST_F(ArchiveCloserTest, AFolderThatCannotBeHashedIsReported) {
  ArchiveCloser closer(dataDir_, store_, queue_.post());
  std::promise<void> gate;
  auto opened = gate.get_future().share();
  closer.worker().post([opened] { opened.wait(); });
  std::optional<ArchiveCloser::Closed> result;
  closer.close(test::districtMeeting().id, [&](const ArchiveCloser::Closed& closed) { result = closed; });
  // A directory where the temporary sums file goes: writing SHA256SUMS fails, as on a full or broken disk.
  fs::create_directories(folder_ / (std::string(kSumsFile) + ".tmp") / "x");
  gate.set_value();
  ASSERT_TRUE(queue_.runOne());
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->ok);
  EXPECT_NE(result->error.find("SHA256SUMS.tmp"), std::string::npos) << result->error;
  EXPECT_FALSE(fs::exists(folder_ / kSumsFile));
}

TEST_F(ArchiveCloserTest, NoEventLogThrowsAndQueuesNothing) {
  ArchiveCloser closer(dataDir_, store_, queue_.post());
  fs::create_directories(dataDir_ / "archive" / "empty");
  EXPECT_THROW(closer.close("empty"), std::runtime_error);
  EXPECT_EQ(closer.worker().pending(), 0u);
  EXPECT_FALSE(fs::exists(dataDir_ / "archive" / "empty" / kSumsFile));
}

TEST_F(ArchiveCloserTest, ShuttingDownFinishesTheSums) {
  {
    ArchiveCloser closer(dataDir_, store_, queue_.post());
    closer.close(test::districtMeeting().id);
  }
  EXPECT_TRUE(verifySha256Sums(folder_).ok()) << "a closer going away leaves no half-closed archive";
}

}  // namespace
}  // namespace diemcau::signaling::archive
