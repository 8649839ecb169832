#pragma once
// The one clock of the load generator: senders stamp with it, receivers subtract from it. Both
// run in this process, so the difference is the exact one-way time through the server.
#include <chrono>
#include <cstdint>

namespace diemcau::load {

inline int64_t monotonicNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace diemcau::load
