#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "signaling/protocol/Connection.hpp"
#include "signaling/protocol/Request.hpp"

namespace diemcau::signaling::protocol {

/// A handler for a set of /ws message types (join, publish, chat, ...). Signaling thread only.
class Service {
 public:
  virtual ~Service() = default;

  /// The message types this service answers; fixed for the service's life.
  virtual std::vector<std::string> types() const = 0;

  /// Returns the reply fields (merged into {"type":"reply","id":..,"ok":true}) or throws ProtocolError.
  /// A service that answers later (after work on a media worker) returns std::nullopt and calls
  /// Connection::send(makeReply(request.id, ...)) itself when done — unless onClose came first.
  virtual std::optional<nlohmann::json> handle(Connection& connection, const Request& request) = 0;

  /// The connection is going away: release everything kept for it. Called once per connection that
  /// existed while the service was registered, whether or not it ever sent this service a message.
  virtual void onClose(Connection& /*connection*/) {}
};

}  // namespace diemcau::signaling::protocol
