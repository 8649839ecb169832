#include "media/worker/Timer.hpp"

#include "media/worker/Worker.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace diemcau::media {

Timer::Timer(Worker& worker, Callback callback)
    : context_(worker.context()), callback_(std::move(callback)) {}

Timer::~Timer() = default;  // source_ is destroyed: no dispatch can follow

void Timer::start(Duration timeout, Duration repeat) {
  timeout_ = timeout < Duration::zero() ? Duration::zero() : timeout;
  repeat_ = repeat < Duration::zero() ? Duration::zero() : repeat;
  arm(timeout_);
}

void Timer::restart() { arm(timeout_); }

void Timer::stop() { source_.reset(); }

void Timer::arm(Duration delay) {
  source_.reset();
  GSource* raw = g_timeout_source_new(static_cast<guint>(delay.count()));
  g_source_set_callback(raw, &Timer::onFire, this, nullptr);
  g_source_attach(raw, context_);
  source_.reset(raw);
}

gboolean Timer::onFire(gpointer data) {
  auto* self = static_cast<Timer*>(data);
  // Everything about the next expiry is settled before the callback, which may destroy `self`;
  // afterwards only locals are touched. The fired source is always removed: a periodic timer
  // gets a fresh source so the period is measured from this expiry.
  GSource* fired = self->source_.release();
  if (self->repeat_ > Duration::zero()) self->arm(self->repeat_);
  // Keep the std::function alive even if the callback destroys its Timer.
  Callback callback = self->callback_;
  try {
    callback();
  } catch (const std::exception& e) {
    spdlog::error("timer callback threw: {}", e.what());
  } catch (...) {
    spdlog::error("timer callback threw a non-standard exception");
  }
  // The context still holds its own reference while dispatching; returning REMOVE destroys it.
  g_source_unref(fired);
  return G_SOURCE_REMOVE;
}

}  // namespace diemcau::media
