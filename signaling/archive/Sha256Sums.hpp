#pragma once
// SHA256SUMS over an archive folder, in the format `sha256sum -c` reads: "<64 hex>  <name>".
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::signaling::archive {

inline constexpr const char* kSumsFile = "SHA256SUMS";

/// Lowercase hex SHA-256 of a file's bytes; nullopt when it cannot be read.
std::optional<std::string> sha256OfFile(const std::filesystem::path& file);

/// Hashes every regular file of `folder` except SHA256SUMS itself (sorted by name) and writes
/// SHA256SUMS atomically (temporary file, then rename). Throws std::runtime_error on I/O failure.
void writeSha256Sums(const std::filesystem::path& folder);

struct VerifyResult {
  bool sumsPresent = false;
  std::vector<std::string> changed;   // listed, hash differs
  std::vector<std::string> missing;   // listed, not in the folder
  std::vector<std::string> unlisted;  // in the folder, not listed
  size_t checked = 0;
  bool ok() const { return sumsPresent && changed.empty() && missing.empty() && unlisted.empty(); }
};

/// Checks every line of SHA256SUMS (malformed lines and names with '/' count as changed).
VerifyResult verifySha256Sums(const std::filesystem::path& folder);

}  // namespace diemcau::signaling::archive
