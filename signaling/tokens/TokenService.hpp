#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "signaling/tokens/JoinClaims.hpp"
#include "signaling/tokens/SigningKeys.hpp"

namespace diemcau::signaling::tokens {

/// Either the verified claims or why the token was refused.
class VerifyResult {
 public:
  VerifyResult(JoinClaims claims) : value_(std::move(claims)) {}  // NOLINT: implicit on purpose
  VerifyResult(TokenError error) : value_(error) {}               // NOLINT

  bool ok() const { return std::holds_alternative<JoinClaims>(value_); }
  const JoinClaims& claims() const { return std::get<JoinClaims>(value_); }
  TokenError error() const { return std::get<TokenError>(value_); }

 private:
  std::variant<JoinClaims, TokenError> value_;
};

/**
 * Issues and verifies join tokens: JWT compact form, HS256 (RFC 7519, RFC 7515, RFC 7518 section 3.2), so any
 * JWT tool can read them. Header {"alg":"HS256","typ":"JWT","kid":...}; claims iss "diemcau", mtg, site,
 * role, nbf, exp, iat, jti. Signing-thread only (the signaling thread); no locks.
 */
class TokenService {
 public:
  /// isRevoked is asked with the token id of every well-signed token (usually Store::isTokenRevoked).
  TokenService(SigningKeys keys, std::function<bool(const std::string&)> isRevoked);

  /// Signs claims; fills claims.tokenId with a random id when it is empty.
  std::string issue(JoinClaims claims, std::chrono::sys_seconds issuedAt) const;

  /// Checks in this order: shape, header, signature (current or previous key), claims, revocation,
  /// not-before, expiry. Never throws.
  VerifyResult verifyJoinToken(std::string_view token, std::chrono::sys_seconds now) const;

  /// The claims of a well-signed token, ignoring time and revocation (to revoke a token given whole).
  std::optional<JoinClaims> readSigned(std::string_view token) const;

  void rotateKey() { keys_.rotate(); }
  const SigningKeys& keys() const { return keys_; }

  /// Longest token accepted; real ones are about 300 bytes.
  static constexpr std::size_t kMaxTokenSize = 4096;

 private:
  std::variant<JoinClaims, TokenError> decode(std::string_view token) const;

  SigningKeys keys_;
  std::function<bool(const std::string&)> isRevoked_;
};

}  // namespace diemcau::signaling::tokens
