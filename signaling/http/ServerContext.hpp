#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "signaling/http/ConnectionRegistry.hpp"
#include "signaling/http/Router.hpp"
#include "signaling/protocol/Dispatcher.hpp"

namespace diemcau::signaling::http {

/// Limits applied to every connection; defaults are the production values.
struct ConnectionLimits {
  std::size_t headerLimit = 8 * 1024;
  std::size_t bodyLimit = 1024 * 1024;
  std::chrono::seconds requestTimeout{30};
  std::size_t wsMaxMessage = 2 * 1024 * 1024;
  /// Bytes a WebSocket may have waiting to be written before the client counts as stalled.
  std::size_t wsMaxQueuedBytes = 1024 * 1024;
  std::chrono::seconds wsIdleTimeout{40};
  std::chrono::seconds wsHandshakeTimeout{10};
};

/// What every session shares with the server. Held by shared_ptr so sessions outlive a stopped server
/// safely; the dispatcher outlives the io_context's run (see server/Server).
struct ServerContext {
  ServerContext(Router routerIn, protocol::Dispatcher& dispatcherIn, ConnectionLimits limitsIn, bool tlsIn)
      : router(std::move(routerIn)), dispatcher(dispatcherIn), limits(limitsIn), tls(tlsIn) {}

  Router router;
  protocol::Dispatcher& dispatcher;
  ConnectionLimits limits;
  bool tls;
  ConnectionRegistry registry;
};

}  // namespace diemcau::signaling::http
