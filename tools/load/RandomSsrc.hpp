#pragma once

#include <cstdint>
#include <random>

namespace diemcau::load {

/// A random SSRC (RFC 3550 section 8.1); each thread has its own generator.
inline uint32_t randomSsrc() {
  static thread_local std::mt19937 random{std::random_device{}()};
  return std::uniform_int_distribution<uint32_t>(1, 0xFFFFFFFEu)(random);
}

}  // namespace diemcau::load
