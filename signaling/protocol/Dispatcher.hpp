#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "signaling/protocol/Connection.hpp"
#include "signaling/protocol/Service.hpp"

namespace diemcau::signaling::protocol {

/// Routes /ws messages to services by `type` and turns every failure into an error reply, so a bad
/// message never closes the connection (docs/PROTOCOL.md, "Envelope"). Signaling thread only.
///
///   text ─▶ parse (bounded depth) ─▶ envelope (object, type, id) ─▶ service.handle ─▶ reply
///                    │ bad_json            │ bad_request              │ ProtocolError / internal
///                    └──────────────────────┴──────────────────────────┴──▶ error reply
class Dispatcher {
 public:
  /// Deeper nesting is refused before it can exhaust the stack of whatever walks the document.
  static constexpr std::size_t kMaxDepth = 32;

  Dispatcher();

  /// Registers a service for its types(); throws std::logic_error when a type is taken already.
  void registerService(std::shared_ptr<Service> service);

  /// One complete text message from `connection`. Replies are sent through connection.send().
  void onMessage(Connection& connection, std::string_view text);

  /// The connection is closing; every service hears of it once, in registration order.
  void onClose(Connection& connection);

  /// Handles one message and returns the reply to send, or null when the service answers later.
  /// onMessage() is this plus send(); exposed for the fuzz target.
  nlohmann::json dispatch(Connection& connection, std::string_view text);

 private:
  std::vector<std::shared_ptr<Service>> services_;
  std::map<std::string, Service*, std::less<>> byType_;
};

}  // namespace diemcau::signaling::protocol
