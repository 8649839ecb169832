#include "server/DataDirectory.hpp"

#include <stdexcept>

namespace diemcau::server {

void ensureDataDirectory(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw std::runtime_error("data-dir " + dir.string() + " is not a directory");
    return;
  }
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create data-dir " + dir.string() + ": " + ec.message());
  // Keys and the database live here: owner only.
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) throw std::runtime_error("cannot set mode 0700 on " + dir.string() + ": " + ec.message());
}

}  // namespace diemcau::server
