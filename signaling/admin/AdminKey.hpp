#pragma once

#include <filesystem>
#include <string>

namespace diemcau::signaling::admin {

struct AdminKey {
  std::string key;
  bool created = false;  ///< true at first start: the caller prints it once
};

/// `<dataDir>/admin.key` (mode 0600), created with 32 random bytes in hex when missing.
AdminKey loadOrCreateAdminKey(const std::filesystem::path& dataDir);

}  // namespace diemcau::signaling::admin
