#include "signaling/archive/ArchiveWorker.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace diemcau::signaling::archive {

ArchiveWorker::ArchiveWorker() : thread_([this] { run(); }) {}

ArchiveWorker::~ArchiveWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void ArchiveWorker::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

std::size_t ArchiveWorker::pending() const {
  std::lock_guard lock(mutex_);
  return jobs_.size() + running_;
}

void ArchiveWorker::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and everything posted has run
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++running_;
    lock.unlock();
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("archive worker: a job failed: {}", e.what());
    }
    job = nullptr;  // what the job captured is released off the lock
    lock.lock();
    --running_;
  }
}

}  // namespace diemcau::signaling::archive
