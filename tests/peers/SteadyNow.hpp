#pragma once

#include <chrono>
#include <cstdint>

namespace diemcau::peers {

/// Microseconds on the steady clock (its own epoch): for intervals measured within one process.
inline std::int64_t steadyNowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace diemcau::peers
