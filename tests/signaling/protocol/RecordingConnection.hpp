#pragma once

#include <vector>

#include "signaling/protocol/Connection.hpp"

namespace diemcau::signaling::protocol {

// A Connection that records what the dispatcher sends, for tests without a socket.
class RecordingConnection final : public Connection {
 public:
  uint64_t id() const override { return 7; }
  void send(const nlohmann::json& message) override { sent.push_back(message); }
  void close(std::string_view reason) override { closedWith = std::string(reason); }
  std::string remoteAddress() const override { return "127.0.0.1:5000"; }

  std::vector<nlohmann::json> sent;
  std::string closedWith;
};

}  // namespace diemcau::signaling::protocol
