#pragma once

#include "media/worker/GlibPtr.hpp"

#include <glib.h>

#include <functional>
#include <mutex>
#include <vector>

namespace diemcau::media {

/**
 * Multi-producer, single-consumer queue of tasks drained on one GMainContext.
 *
 * Producers on any thread push under a mutex; only the push that finds the queue empty wakes the
 * context (g_source_set_ready_time is thread-safe), so a burst of posts costs one wake-up and the
 * consumer drains the whole batch per dispatch. The source is persistent: no allocation per batch.
 */
class TaskMailbox {
 public:
  using Task = std::function<void()>;
  // Called on the consumer thread after each drained batch (the worker uses it to stop its loop).
  using AfterBatch = std::function<void()>;

  TaskMailbox(GMainContext* context, AfterBatch afterBatch);
  ~TaskMailbox();
  TaskMailbox(const TaskMailbox&) = delete;
  TaskMailbox& operator=(const TaskMailbox&) = delete;

  // Thread-safe. Returns false (task dropped) once close() was called.
  bool push(Task task);
  // Thread-safe. Later pushes are refused; tasks already queued still run at the next drain.
  void close();
  // Consumer thread only: runs every queued task (including ones they push). Returns how many ran.
  size_t drain();
  bool closed() const;

 private:
  static gboolean dispatch(GSource* source, GSourceFunc callback, gpointer userData);

  mutable std::mutex mutex_;
  std::vector<Task> pending_;
  bool closed_ = false;
  std::vector<Task> running_;  // consumer-side buffer, swapped with pending_ to keep capacity
  AfterBatch afterBatch_;
  GSourcePtr source_;
};

}  // namespace diemcau::media
