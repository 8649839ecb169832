#include "signaling/tokens/JoinClaims.hpp"

namespace diemcau::signaling::tokens {

std::string_view toString(Role role) {
  switch (role) {
    case Role::Host:
      return "host";
    case Role::Site:
      return "site";
    case Role::Viewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> parseRole(std::string_view text) {
  if (text == "host") return Role::Host;
  if (text == "site") return Role::Site;
  if (text == "viewer") return Role::Viewer;
  return std::nullopt;
}

std::string_view toString(TokenError error) {
  switch (error) {
    case TokenError::Expired:
      return "expired";
    case TokenError::NotYetValid:
      return "not_yet_valid";
    case TokenError::BadSignature:
      return "bad_signature";
    case TokenError::Malformed:
      return "malformed";
    case TokenError::Revoked:
      return "revoked";
  }
  return "malformed";
}

}  // namespace diemcau::signaling::tokens
