#include "tools/load/WakeTimer.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace diemcau::load {

namespace {

struct WakeSource {
  GSource base;
  WakeTimer* timer;
};

}  // namespace

WakeTimer::WakeTimer(media::Worker& worker, Callback callback) : callback_(std::move(callback)) {
  static GSourceFuncs funcs = {nullptr, nullptr, &WakeTimer::dispatch, nullptr, nullptr, nullptr};
  GSource* raw = g_source_new(&funcs, sizeof(WakeSource));
  reinterpret_cast<WakeSource*>(raw)->timer = this;
  g_source_set_name(raw, "diemcau-load-wake");
  g_source_set_priority(raw, G_PRIORITY_DEFAULT);
  g_source_set_ready_time(raw, -1);
  g_source_attach(raw, worker.context());
  source_.reset(raw);
}

WakeTimer::~WakeTimer() = default;

void WakeTimer::armAt(int64_t dueNs) {
  // Rounded up to the microsecond so the wake-up never comes before the due time.
  g_source_set_ready_time(source_.get(), dueNs <= 0 ? 0 : (dueNs + 999) / 1000);
}

void WakeTimer::disarm() { g_source_set_ready_time(source_.get(), -1); }

gboolean WakeTimer::dispatch(GSource* source, GSourceFunc, gpointer) {
  // Disarmed before the callback, which re-arms for the next due time.
  g_source_set_ready_time(source, -1);
  auto* self = reinterpret_cast<WakeSource*>(source)->timer;
  try {
    self->callback_();
  } catch (const std::exception& e) {
    spdlog::error("wake timer callback threw: {}", e.what());
  } catch (...) {
    spdlog::error("wake timer callback threw a non-standard exception");
  }
  return G_SOURCE_CONTINUE;
}

}  // namespace diemcau::load
