#include "media/worker/Timer.hpp"

#include "media/worker/Worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <new>

namespace diemcau::media {

// The GSource a Timer moves the ready time of. `timer` is cleared when the Timer lets it go, so a
// dispatch in progress knows it may no longer touch it.
struct Timer::Source {
  GSource base;
  Timer* timer;
  std::shared_ptr<Callback> callback;
};

namespace {

// Saturated far below the overflow of now + it (a timeout of Duration::max() means never, in effect).
int64_t toUs(Timer::Duration duration) {
  constexpr int64_t kLongest = INT64_MAX / 4;
  const auto ms = std::min<int64_t>(duration.count(), kLongest / 1000);
  return ms * 1000;
}

}  // namespace

Timer::Timer(Worker& worker, Callback callback)
    : context_(worker.context()), callback_(std::make_shared<Callback>(std::move(callback))) {}

Timer::~Timer() { release(); }

void Timer::start(Duration timeout, Duration repeat) {
  timeout_ = timeout < Duration::zero() ? Duration::zero() : timeout;
  repeat_ = repeat < Duration::zero() ? Duration::zero() : repeat;
  armAt(g_get_monotonic_time() + toUs(timeout_));
}

void Timer::restart() { armAt(g_get_monotonic_time() + toUs(timeout_)); }

void Timer::startAt(int64_t monotonicUs) {
  timeout_ = Duration::zero();
  repeat_ = Duration::zero();
  armAt(monotonicUs < 0 ? 0 : monotonicUs);
}

void Timer::stop() { release(); }

bool Timer::isActive() const { return source_ && g_source_get_ready_time(source_.get()) != -1; }

void Timer::armAt(int64_t monotonicUs) {
  if (!source_) {
    static GSourceFuncs funcs = {nullptr, nullptr, &Timer::dispatch, &Timer::finalize, nullptr, nullptr};
    GSource* raw = g_source_new(&funcs, sizeof(Source));
    auto* source = reinterpret_cast<Source*>(raw);
    source->timer = this;
    new (&source->callback) std::shared_ptr<Callback>(callback_);
    g_source_set_name(raw, "diemcau-timer");
    g_source_attach(raw, context_);
    source_.reset(raw);
  }
  // Outside the source's own dispatch GLib also wakes the context (one eventfd write): a timer armed
  // from elsewhere costs that syscall, which is why the per-packet paths re-arm from their callbacks.
  g_source_set_ready_time(source_.get(), monotonicUs);
}

void Timer::release() {
  if (!source_) return;
  reinterpret_cast<Source*>(source_.get())->timer = nullptr;
  source_.reset();
}

gboolean Timer::dispatch(GSource* raw, GSourceFunc, gpointer) {
  auto* source = reinterpret_cast<Source*>(raw);
  // The next expiry is settled before the callback, which may re-arm, stop or destroy the timer.
  Timer* timer = source->timer;
  if (timer == nullptr) return G_SOURCE_REMOVE;
  g_source_set_ready_time(raw, timer->repeat_ > Duration::zero() ? g_source_get_time(raw) + toUs(timer->repeat_) : -1);
  try {
    (*source->callback)();
  } catch (const std::exception& e) {
    spdlog::error("timer callback threw: {}", e.what());
  } catch (...) {
    spdlog::error("timer callback threw a non-standard exception");
  }
  // The context holds this source until the dispatch returns, so `source` is still readable. A
  // timer still owning it (not destroyed, not stopped) that is no longer armed lets it go.
  if (source->timer != nullptr && g_source_get_ready_time(raw) == -1) source->timer->release();
  return G_SOURCE_CONTINUE;
}

void Timer::finalize(GSource* raw) {
  auto* source = reinterpret_cast<Source*>(raw);
  source->callback.~shared_ptr();
}

}  // namespace diemcau::media
