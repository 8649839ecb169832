#include "signaling/http/MimeTypes.hpp"

#include <array>
#include <utility>

namespace diemcau::signaling::http {

std::string_view mimeTypeFor(std::string_view fileName) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
  }};
  const auto dot = fileName.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string_view extension = fileName.substr(dot);
  for (const auto& [suffix, type] : kTypes) {
    if (extension.size() != suffix.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < suffix.size() && same; ++i) {
      const char c = extension[i];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == suffix[i];
    }
    if (same) return type;
  }
  return "application/octet-stream";
}

}  // namespace diemcau::signaling::http
