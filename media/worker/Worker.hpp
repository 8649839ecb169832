#pragma once

#include "media/worker/GlibPtr.hpp"
#include "media/worker/TaskMailbox.hpp"

#include <glib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace diemcau::media {

/**
 * One media thread: a GMainContext + GMainLoop that every libnice agent, timer and transport of
 * the worker's rooms is attached to, so the media path runs without locks.
 *
 * Other threads talk to it only through post(). Shutdown is deterministic: every task accepted by
 * post() runs before the thread exits (stop() drains the mailbox on the worker thread); post()
 * after stop() returns false and the task is dropped without running.
 */
class Worker {
 public:
  using Task = std::function<void()>;

  explicit Worker(std::string name);
  // Stops and joins. Must not be called from the worker's own thread.
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Thread-safe. Tasks run on the worker thread in post order; an exception is caught and logged.
  bool post(Task task);
  /// Thread-safe and idempotent: refuses new tasks, runs the queued ones, quits the loop and joins.
  void stop();

  bool isCurrentThread() const { return std::this_thread::get_id() == threadId_.load(); }
  /// The context that worker-owned GLib sources must be attached to.
  GMainContext* context() const { return context_.get(); }
  const std::string& name() const { return name_; }

 private:
  void run();

  std::string name_;
  GMainContextPtr context_;
  GMainLoopPtr loop_;
  std::unique_ptr<TaskMailbox> mailbox_;
  std::atomic<std::thread::id> threadId_{};
  std::thread thread_;
};

}  // namespace diemcau::media
