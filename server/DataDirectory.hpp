#pragma once

#include <filesystem>

namespace diemcau::server {

/// Creates `dir` (and parents) with mode 0700 if missing; refuses a path that exists and is not a
/// directory. Throws std::runtime_error naming the path.
void ensureDataDirectory(const std::filesystem::path& dir);

}  // namespace diemcau::server
