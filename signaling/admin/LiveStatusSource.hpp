#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace diemcau::signaling::admin {

/// Live facts the bridge knows and the store does not: who is connected, link quality, who has the floor.
/// Called on the signaling thread.
class LiveStatusSource {
 public:
  virtual ~LiveStatusSource() = default;
  /// e.g. {"floor":"lang-can","sites":[{"id":"lang-can","connected":true,"quality":"good"}]}
  virtual nlohmann::json liveStatus(const std::string& meetingId) const = 0;
};

}  // namespace diemcau::signaling::admin
