#pragma once

#include <chrono>

namespace diemcau::signaling::scheduler {

/// Wall-clock time, injectable so tests drive every transition without waiting.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::sys_seconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::sys_seconds now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

}  // namespace diemcau::signaling::scheduler
