#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace diemcau::signaling::tokens {

enum class Role { Host, Site, Viewer };

std::string_view toString(Role role);
std::optional<Role> parseRole(std::string_view text);

/// What a join token grants: one site, one meeting, one role, for a time window.
struct JoinClaims {
  std::string meetingId;
  std::string siteId;
  Role role = Role::Site;
  std::chrono::sys_seconds notBefore{};
  std::chrono::sys_seconds expiry{};
  std::string tokenId;  ///< "jti": what revocation names
};

/// Why a token was refused. Wire names (toString) are what the join protocol reports.
enum class TokenError { Expired, NotYetValid, BadSignature, Malformed, Revoked };

std::string_view toString(TokenError error);

}  // namespace diemcau::signaling::tokens
