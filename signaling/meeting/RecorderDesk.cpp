#include "signaling/meeting/RecorderDesk.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace diemcau::signaling::meeting {

RecorderDesk::RecorderDesk() : thread_([this] { loop(); }) {}

RecorderDesk::~RecorderDesk() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  // The last reference may be dropped by a job's own captures; a thread cannot join itself.
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else if (thread_.joinable()) {
    thread_.join();
  }
}

void RecorderDesk::run(Job job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void RecorderDesk::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and nothing left
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
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
