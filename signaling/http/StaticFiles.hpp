#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "signaling/http/HttpTypes.hpp"

namespace diemcau::signaling::http {

/// Serves the browser client from one directory (GET/HEAD). Refuses anything that would leave the
/// root: "..", encoded separators, NUL, hidden files, and symlinks pointing outside.
class StaticFiles {
 public:
  /// Files larger than this are not served (the client is a handful of small files).
  static constexpr std::uintmax_t kMaxFileSize = 16 * 1024 * 1024;

  explicit StaticFiles(std::filesystem::path root);

  /// The file a URL path names, or nullopt when it does not exist or is not allowed.
  /// `urlPath` is the target without query or fragment, starting with '/'.
  std::optional<std::filesystem::path> resolve(std::string_view urlPath) const;

  /// 200 with the file at `urlPath`, 404, or 405 for methods other than GET and HEAD.
  Response serve(const Request& request, std::string_view urlPath) const;

 private:
  std::filesystem::path root_;
};

}  // namespace diemcau::signaling::http
