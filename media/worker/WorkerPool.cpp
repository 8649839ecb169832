#include "media/worker/WorkerPool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>

namespace diemcau::media {

WorkerPool::WorkerPool(size_t size) {
  if (size == 0) size = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(size);
  for (size_t i = 0; i < size; ++i) workers_.push_back(std::make_unique<Worker>("media-" + std::to_string(i)));
  loads_.assign(size, 0);
}

WorkerPool::~WorkerPool() {
  for (auto& worker : workers_) worker->stop();
}

Worker& WorkerPool::at(size_t index) {
  if (index >= workers_.size()) throw std::out_of_range("worker index " + std::to_string(index));
  return *workers_[index];
}

Worker& WorkerPool::pickLeastLoaded() {
  std::lock_guard lock(mutex_);
  size_t best = 0;
  for (size_t i = 1; i < loads_.size(); ++i) {
    if (loads_[i] < loads_[best]) best = i;
  }
  ++loads_[best];
  return *workers_[best];
}

void WorkerPool::release(Worker& worker) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < workers_.size(); ++i) {
    if (workers_[i].get() != &worker) continue;
    if (loads_[i] == 0) {
      spdlog::warn("worker {}: release without assignment", worker.name());
      return;
    }
    --loads_[i];
    return;
  }
  spdlog::warn("worker {}: released to a pool it does not belong to", worker.name());
}

size_t WorkerPool::load(size_t index) const {
  std::lock_guard lock(mutex_);
  return index < loads_.size() ? loads_[index] : 0;
}

}  // namespace diemcau::media
