#include "tests/peers/MainContextInvoke.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace diemcau::peers {
namespace {

gboolean runOnce(gpointer data) {
  auto* fn = static_cast<std::function<void()>*>(data);
  try {
    (*fn)();
  } catch (const std::exception& e) {
    // A C callback must never unwind into GLib.
    spdlog::error("main-context task failed: {}", e.what());
  } catch (...) {
    spdlog::error("main-context task failed with an unknown exception");
  }
  return G_SOURCE_REMOVE;
}

void destroyTask(gpointer data) { delete static_cast<std::function<void()>*>(data); }

}  // namespace

void invokeOn(GMainContext* context, std::function<void()> fn) {
  auto* task = new std::function<void()>(std::move(fn));
  g_main_context_invoke_full(context, G_PRIORITY_DEFAULT, runOnce, task, destroyTask);
}

}  // namespace diemcau::peers
