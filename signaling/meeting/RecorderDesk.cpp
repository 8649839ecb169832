#include "signaling/meeting/RecorderDesk.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace diemcau::signaling::meeting {

RecorderDesk::RecorderDesk()
    : queue_(std::make_shared<Queue>()), thread_([queue = queue_] { loop(*queue); }) {}

RecorderDesk::~RecorderDesk() {
  {
    std::lock_guard lock(queue_->mutex);
    queue_->stopping = true;
  }
  queue_->wake.notify_all();
  // The last reference may be dropped by a job's own captures: a thread cannot join itself; it
  // finishes the queue on its own and ends.
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else if (thread_.joinable()) {
    thread_.join();
  }
}

void RecorderDesk::run(Job job) {
  {
    std::lock_guard lock(queue_->mutex);
    queue_->jobs.push_back(std::move(job));
  }
  queue_->wake.notify_one();
}

void RecorderDesk::loop(Queue& queue) {
  std::unique_lock lock(queue.mutex);
  for (;;) {
    queue.wake.wait(lock, [&] { return queue.stopping || !queue.jobs.empty(); });
    if (queue.jobs.empty()) return;  // stopping, and nothing left
    Job job = std::move(queue.jobs.front());
    queue.jobs.pop_front();
    lock.unlock();
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("recorder desk: a job failed: {}", e.what());
    }
    job = nullptr;  // its captures are released here, outside the lock
    lock.lock();
  }
}

}  // namespace diemcau::signaling::meeting
