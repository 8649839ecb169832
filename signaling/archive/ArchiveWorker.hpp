#pragma once
// One thread for the archive's long disk work, so the signaling thread never waits on it: hashing a
// closed meeting's recordings (gigabytes) and reading an export ahead of the socket.
//
//   signaling thread ── post(job) ──► [queue] ──► worker thread runs jobs in order
//                    ◀── results come back through the caller's own post (see ArchiveCloser)
//
// Jobs run one at a time, in the order posted. Destruction finishes every job already posted (an
// archive being closed gets its SHA256SUMS rather than being left for start-up recovery), then joins.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace diemcau::signaling::archive {

class ArchiveWorker {
 public:
  ArchiveWorker();
  ~ArchiveWorker();
  ArchiveWorker(const ArchiveWorker&) = delete;
  ArchiveWorker& operator=(const ArchiveWorker&) = delete;

  /// Queues `job` and returns at once; any thread. A job that throws is logged and dropped.
  void post(std::function<void()> job);
  /// Jobs posted and not finished yet (for tests and status).
  std::size_t pending() const;
  /// True on the worker thread (checks that work really runs there).
  bool onWorkerThread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace diemcau::signaling::archive
