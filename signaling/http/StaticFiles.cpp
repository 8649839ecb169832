#include "signaling/http/StaticFiles.hpp"

#include <fstream>
#include <iterator>
#include <string>

#include "signaling/http/MimeTypes.hpp"

namespace diemcau::signaling::http {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a path; refuses bytes that could change how the path is split or terminated.
std::optional<std::string> decodePath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size()) return std::nullopt;
      const int high = hexValue(path[i + 1]);
      const int low = hexValue(path[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      i += 2;
      if (c == '/') return std::nullopt;
    }
    if (c == '\0' || c == '\\') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

bool isInside(const std::filesystem::path& root, const std::filesystem::path& candidate) {
  auto rootIt = root.begin();
  auto candidateIt = candidate.begin();
  for (; rootIt != root.end(); ++rootIt, ++candidateIt) {
    if (candidateIt == candidate.end() || *rootIt != *candidateIt) return false;
  }
  return true;
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

std::optional<std::filesystem::path> StaticFiles::resolve(std::string_view urlPath) const {
  if (urlPath.empty() || urlPath.front() != '/') return std::nullopt;
  const auto decoded = decodePath(urlPath);
  if (!decoded) return std::nullopt;

  std::filesystem::path relative;
  std::string_view rest(*decoded);
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    // Hidden files and ".." never resolve; "." and empty segments are harmless and skipped.
    if (!segment.empty() && segment != ".") {
      if (segment.front() == '.') return std::nullopt;
      relative /= std::string(segment);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }

  std::error_code ec;
  const auto canonicalRoot = std::filesystem::canonical(root_, ec);
  if (ec) return std::nullopt;
  auto candidate = std::filesystem::canonical(canonicalRoot / relative, ec);
  if (ec) return std::nullopt;
  // canonical() resolved every symlink, so this also refuses links that point out of the root.
  if (!isInside(canonicalRoot, candidate)) return std::nullopt;
  if (std::filesystem::is_directory(candidate, ec)) {
    candidate = std::filesystem::canonical(candidate / "index.html", ec);
    if (ec || !isInside(canonicalRoot, candidate)) return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(candidate, ec)) return std::nullopt;
  return candidate;
}

Response StaticFiles::serve(const Request& request, std::string_view urlPath) const {
  if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
    Response response = makeResponse(request, beast_http::status::method_not_allowed,
                                     "method not allowed\n", "text/plain; charset=utf-8");
    response.set(beast_http::field::allow, "GET, HEAD");
    return response;
  }
  const auto file = resolve(urlPath);
  std::error_code ec;
  if (!file || std::filesystem::file_size(*file, ec) > kMaxFileSize || ec) {
    return makeResponse(request, beast_http::status::not_found, "not found\n", "text/plain; charset=utf-8");
  }
  std::ifstream in(*file, std::ios::binary);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return makeResponse(request, beast_http::status::not_found, "not found\n", "text/plain; charset=utf-8");
  }
  const std::string name = file->filename().string();
  Response response = makeResponse(request, beast_http::status::ok, std::move(body), mimeTypeFor(name));
  // HTML names the versioned assets, so it is always revalidated; assets may be cached briefly.
  response.set(beast_http::field::cache_control,
               name.ends_with(".html") ? "no-cache" : "public, max-age=300");
  if (request.method() == beast_http::verb::head) {
    const auto size = response.body().size();
    response.body().clear();
    response.content_length(size);
  }
  return response;
}

}  // namespace diemcau::signaling::http
