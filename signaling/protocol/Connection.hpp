#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "signaling/protocol/SharedMessage.hpp"

namespace diemcau::signaling::protocol {

/// One /ws client as the dispatcher and services see it. Signaling thread only.
/// A service may keep a pointer to a Connection until its Service::onClose is called for it.
class Connection {
 public:
  virtual ~Connection() = default;

  /// Unique for the life of the process.
  virtual uint64_t id() const = 0;
  /// Queues an event or reply. Never blocks; a client too slow to drain its queue is disconnected.
  /// Ignored once the connection is closing.
  virtual void send(const nlohmann::json& message) = 0;
  /// The same for a message serialized once for many connections (an event to a whole meeting).
  /// By default it is parsed back and given to send(); the WebSocket connection queues the shared
  /// text itself.
  virtual void sendShared(const SharedMessage& message) { send(nlohmann::json::parse(*message.text())); }
  /// Starts a graceful close with a reason the client can show.
  virtual void close(std::string_view reason) = 0;
  virtual std::string remoteAddress() const = 0;
};

}  // namespace diemcau::signaling::protocol
