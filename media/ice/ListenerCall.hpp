#pragma once

#include <spdlog/spdlog.h>

#include <exception>

namespace diemcau::media {

/// Calls `fn` (a listener's callback) and logs what it throws under `component: where`: callbacks
/// run from C frames (libnice, GLib, the worker's loop) that must not be unwound.
template <typename Fn>
void callListener(const char* component, const char* where, Fn&& fn) noexcept {
  try {
    fn();
  } catch (const std::exception& e) {
    spdlog::error("{}: {} threw: {}", component, where, e.what());
  } catch (...) {
    spdlog::error("{}: {} threw a non-standard exception", component, where);
  }
}

}  // namespace diemcau::media
