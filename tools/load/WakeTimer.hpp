#pragma once
// A one-shot wake-up at an absolute steady-clock time on a worker's GMainContext, re-armed without
// allocating: one GSource stays attached for the object's life and only its ready time moves
// (g_source_set_ready_time; GLib's monotonic clock is the steady clock's). A paced publisher
// re-arms for every packet, where media::Timer would make a new GSource each time.
//
// Worker thread only. Destroying it detaches the source, so no dispatch follows. The callback
// may re-arm or disarm the timer, but not destroy it.
#include <cstdint>
#include <functional>

#include "media/worker/GlibPtr.hpp"
#include "media/worker/Worker.hpp"

namespace diemcau::load {

class WakeTimer {
 public:
  using Callback = std::function<void()>;

  WakeTimer(media::Worker& worker, Callback callback);
  ~WakeTimer();
  WakeTimer(const WakeTimer&) = delete;
  WakeTimer& operator=(const WakeTimer&) = delete;

  /// Fires once at steady-clock `dueNs` (at once if it has passed); replaces any earlier arming.
  void armAt(int64_t dueNs);
  void disarm();

 private:
  static gboolean dispatch(GSource* source, GSourceFunc, gpointer);

  Callback callback_;
  media::GSourcePtr source_;
};

}  // namespace diemcau::load
