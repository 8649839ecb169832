#pragma once

#include <glib.h>

#include <memory>

namespace diemcau::media {

// Owning handles for the GLib objects a worker holds. Each deleter drops exactly one reference.
struct GMainContextUnref {
  void operator()(GMainContext* context) const noexcept { g_main_context_unref(context); }
};
struct GMainLoopUnref {
  void operator()(GMainLoop* loop) const noexcept { g_main_loop_unref(loop); }
};
// A source is destroyed (detached from its context) before its last reference goes, so no
// dispatch can follow the owner's death.
struct GSourceDestroyUnref {
  void operator()(GSource* source) const noexcept {
    g_source_destroy(source);
    g_source_unref(source);
  }
};

using GMainContextPtr = std::unique_ptr<GMainContext, GMainContextUnref>;
using GMainLoopPtr = std::unique_ptr<GMainLoop, GMainLoopUnref>;
using GSourcePtr = std::unique_ptr<GSource, GSourceDestroyUnref>;

}  // namespace diemcau::media
