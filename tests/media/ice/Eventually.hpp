#pragma once
// Polls a condition another thread makes true (a worker delivering, a state changing), for tests.
#include <chrono>
#include <thread>

namespace diemcau::media::test {

/// True as soon as `ready()` is; false once `timeout` has passed without it. Polls every 2 ms.
template <typename Predicate>
bool eventually(Predicate ready, std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace diemcau::media::test
