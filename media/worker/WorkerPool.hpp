#pragma once

#include "media/worker/Worker.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace diemcau::media {

/**
 * The set of media workers, one per core by default, with a load counter per worker (objects
 * assigned to it, e.g. rooms) used to place new rooms.
 *
 * Thread-safe. Destruction stops every worker (each runs its queued tasks first).
 */
class WorkerPool {
 public:
  /// `size` == 0 means one worker per hardware thread.
  explicit WorkerPool(size_t size);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  size_t size() const { return workers_.size(); }
  Worker& at(size_t index);
  /// Picks the worker with the fewest assignments (lowest index on ties) and counts one more
  /// assignment on it, atomically. Pair every call with release().
  Worker& pickLeastLoaded();
  /// Counts one assignment less on `worker`. Ignores a worker of another pool or a zero count.
  void release(Worker& worker);
  size_t load(size_t index) const;

 private:
  std::vector<std::unique_ptr<Worker>> workers_;
  mutable std::mutex mutex_;
  std::vector<size_t> loads_;
};

}  // namespace diemcau::media
