#pragma once

#include <glib.h>

#include <functional>

namespace diemcau::peers {

/// Runs `fn` on the thread that iterates `context` (at once when the caller already owns it).
/// Webrtcbin and the WebSocket client call back from their own threads; every piece of peer
/// state is touched only from the GLib main context, so nothing needs a lock.
void invokeOn(GMainContext* context, std::function<void()> fn);

}  // namespace diemcau::peers
