#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace diemcau::signaling::store {

/// One admin action: who did what to which object, and when.
struct AuditEntry {
  std::int64_t id = 0;  ///< assigned by the store
  std::chrono::sys_seconds at{};
  std::string actor;   ///< "admin-key", "scheduler", "demo"
  std::string action;  ///< "site.add", "meeting.cancel", ...
  std::string target;  ///< object id
  std::string detail;  ///< short JSON or text
};

}  // namespace diemcau::signaling::store
