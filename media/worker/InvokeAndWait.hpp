#pragma once

#include "media/worker/Worker.hpp"

#include <future>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace diemcau::media {

/// Thrown by invokeAndWait() when the worker no longer accepts tasks.
class WorkerStoppedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/**
 * Runs `fn` on `worker` and blocks the calling thread until it returns, handing back its result
 * or rethrowing its exception. For tests and shutdown only: the signaling thread must post and
 * be posted back, never block on a worker. Called on the worker itself, `fn` runs inline.
 */
template <typename Fn>
auto invokeAndWait(Worker& worker, Fn&& fn) -> std::invoke_result_t<Fn&> {
  using Result = std::invoke_result_t<Fn&>;
  if (worker.isCurrentThread()) return fn();
  std::promise<Result> promise;
  auto future = promise.get_future();
  bool accepted = worker.post([&promise, &fn] {
    try {
      if constexpr (std::is_void_v<Result>) {
        fn();
        promise.set_value();
      } else {
        promise.set_value(fn());
      }
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  });
  if (!accepted) throw WorkerStoppedError("worker " + worker.name() + " is stopped");
  return future.get();
}

}  // namespace diemcau::media
