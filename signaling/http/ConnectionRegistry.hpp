#pragma once

#include <cstdint>
#include <map>
#include <memory>

namespace diemcau::signaling::http {

/// Something the server can ask to go away at shutdown.
class Closable {
 public:
  virtual ~Closable() = default;
  /// Starts closing (a WebSocket close frame "server shutting down", or a socket close). Idempotent.
  virtual void shutdown() = 0;
};

/// Live HTTP and WebSocket connections, for the connection limit and for shutdown.
/// Signaling thread only.
class ConnectionRegistry {
 public:
  uint64_t nextId() { return ++lastId_; }
  void add(uint64_t id, std::weak_ptr<Closable> connection) { live_[id] = std::move(connection); }
  void remove(uint64_t id) { live_.erase(id); }
  std::size_t size() const { return live_.size(); }

  void shutdownAll() {
    // Copy first: shutdown may remove entries synchronously.
    const auto live = live_;
    for (const auto& [id, weak] : live) {
      if (const auto connection = weak.lock()) connection->shutdown();
    }
  }

 private:
  uint64_t lastId_ = 0;
  std::map<uint64_t, std::weak_ptr<Closable>> live_;
};

}  // namespace diemcau::signaling::http
