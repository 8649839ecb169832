#pragma once

#include "media/worker/GlibPtr.hpp"

#include <glib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace diemcau::media {

class Worker;

/**
 * One-shot or periodic timer on a worker's GMainContext (DTLS retransmission, RTCP reports,
 * consent checks, a load generator's paced packets...).
 *
 * Owned, armed, cancelled and destroyed on the worker thread only. Destroying the Timer cancels
 * it; the callback may stop, re-arm or even destroy its own Timer. Exceptions escaping the
 * callback are caught and logged.
 *
 * While armed the timer holds one GSource whose ready time (microseconds on GLib's monotonic
 * clock, the steady clock's) is moved: a re-arm, a restart or the next period of a periodic timer
 * allocates nothing. A timer that is stopped, or a one-shot that fired and was not re-armed by its
 * callback, gives its source up, so idle timers cost the main loop nothing on its iterations
 * (GLib looks at every attached source on each one).
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
  /// `repeat` if it is non-zero (each period measured from the expiry before it).
  void start(Duration timeout, Duration repeat = Duration::zero());
  /// Re-arms with the last timeout/repeat given to start().
  void restart();
  /// Fires once at `monotonicUs` (g_get_monotonic_time(); at once if it has passed), replacing
  /// any arming; the timeout and period of an earlier start() are forgotten (restart() then fires
  /// at once).
  void startAt(int64_t monotonicUs);
  void stop();
  bool isActive() const;
  Duration timeout() const { return timeout_; }
  Duration repeat() const { return repeat_; }

 private:
  struct Source;
  static gboolean dispatch(GSource* source, GSourceFunc, gpointer);
  static void finalize(GSource* source);
  void armAt(int64_t monotonicUs);
  void release();

  GMainContext* context_;
  std::shared_ptr<Callback> callback_;  // shared with the source, which outlives a callback that destroys us
  Duration timeout_{0};
  Duration repeat_{0};
  GSourcePtr source_;
};

}  // namespace diemcau::media
