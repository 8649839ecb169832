#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace diemcau::signaling::tokens {

class SecretFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads a secret file; nullopt when it does not exist. Refuses (SecretFileError) a file that group or others
/// may read: a leaked signing or admin key hands over every meeting. Content is trimmed of trailing newlines.
std::optional<std::string> readSecretFile(const std::filesystem::path& path);

/// Writes a secret file with mode 0600 (created so, never chmod-ed afterwards), atomically via a temporary
/// file and rename, so a crash leaves either the old or the new content.
void writeSecretFile(const std::filesystem::path& path, const std::string& content);

/// n random bytes from the OpenSSL CSPRNG, as lowercase hex (2n characters).
std::string randomHex(std::size_t bytes);

}  // namespace diemcau::signaling::tokens
