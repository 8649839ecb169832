#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/WorkerPool.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace diemcau::media {
namespace {

TEST(WorkerPoolTest, HasDistinctThreads) {
  WorkerPool pool(3);
  ASSERT_EQ(pool.size(), 3u);
  std::set<std::thread::id> ids;
  for (size_t i = 0; i < pool.size(); ++i) {
    ids.insert(invokeAndWait(pool.at(i), [] { return std::this_thread::get_id(); }));
    EXPECT_NE(pool.at(i).context(), nullptr);
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.count(std::this_thread::get_id()), 0u);
  EXPECT_THROW(pool.at(3), std::out_of_range);
}

TEST(WorkerPoolTest, ZeroMeansOnePerHardwareThread) {
  WorkerPool pool(0);
  EXPECT_EQ(pool.size(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(WorkerPoolTest, PicksTheLeastLoadedAndCountsReleases) {
  WorkerPool pool(3);
  Worker& a = pool.pickLeastLoaded();
  Worker& b = pool.pickLeastLoaded();
  Worker& c = pool.pickLeastLoaded();
  EXPECT_EQ(&a, &pool.at(0));
  EXPECT_EQ(&b, &pool.at(1));
  EXPECT_EQ(&c, &pool.at(2));
  pool.release(b);
  EXPECT_EQ(pool.load(1), 0u);
  EXPECT_EQ(&pool.pickLeastLoaded(), &pool.at(1));
  EXPECT_EQ(&pool.pickLeastLoaded(), &pool.at(0));  // all at 1 again, ties go to the lowest
  EXPECT_EQ(pool.load(0), 2u);
  pool.release(a);
  pool.release(a);
  pool.release(a);  // one too many: ignored, never wraps around
  EXPECT_EQ(pool.load(0), 0u);
  Worker foreign("x");
  pool.release(foreign);
  EXPECT_EQ(pool.load(0) + pool.load(1) + pool.load(2), 2u);
}

}  // namespace
}  // namespace diemcau::media
