#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace diemcau::signaling::tokens {

/// One HMAC key and the id carried in the JWT header ("kid") that selects it.
struct SigningKey {
  std::string id;      ///< 8 hex characters
  std::string secret;  ///< 32 raw bytes
};

/**
 * The current signing key and, after a rotation, the previous one: tokens already handed to communes stay
 * valid until they expire, new tokens use the new key. File format (mode 0600), one key per line,
 * current first: "<kid> <64 hex chars>".
 */
class SigningKeys {
 public:
  /// Loads the key file, or creates it with a fresh key at first start. Throws SecretFileError.
  static SigningKeys loadOrCreate(const std::filesystem::path& path);
  /// In-memory keys (tests).
  static SigningKeys generate();

  /// Makes a new current key; the old current becomes previous, the old previous is dropped.
  /// Writes the file when the keys were loaded from one.
  void rotate();

  const SigningKey& current() const { return current_; }
  const std::optional<SigningKey>& previous() const { return previous_; }
  /// The key with this id, if it is current or previous.
  const SigningKey* find(const std::string& id) const;

 private:
  void save() const;

  std::filesystem::path path_;
  SigningKey current_;
  std::optional<SigningKey> previous_;
};

}  // namespace diemcau::signaling::tokens
