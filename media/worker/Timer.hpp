#pragma once

#include "media/worker/GlibPtr.hpp"

#include <glib.h>

#include <chrono>
#include <functional>

namespace diemcau::media {

class Worker;

/**
 * One-shot or periodic timer on a worker's GMainContext (DTLS retransmission, RTCP reports,
 * consent checks...).
 *
 * Owned, armed, cancelled and destroyed on the worker thread only. Destroying the Timer cancels
 * it; the callback may stop, re-arm or even destroy its own Timer. Exceptions escaping the
 * callback are caught and logged.
 */
class Timer {
 public:
  using Callback = std::function<void()>;
  using Duration = std::chrono::milliseconds;

  Timer(Worker& worker, Callback callback);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  /// Arms (or re-arms, replacing any pending expiry) to fire after `timeout`, then every
  /// `repeat` if it is non-zero.
  void start(Duration timeout, Duration repeat = Duration::zero());
  /// Re-arms with the last timeout/repeat given to start().
  void restart();
  void stop();
  bool isActive() const { return source_ != nullptr; }
  Duration timeout() const { return timeout_; }
  Duration repeat() const { return repeat_; }

 private:
  static gboolean onFire(gpointer data);
  void arm(Duration delay);

  GMainContext* context_;
  Callback callback_;
  Duration timeout_{0};
  Duration repeat_{0};
  GSourcePtr source_;
};

}  // namespace diemcau::media
