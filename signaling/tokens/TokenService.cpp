#include "signaling/tokens/TokenService.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include "signaling/tokens/Base64Url.hpp"
#include "signaling/tokens/SecretFile.hpp"

namespace diemcau::signaling::tokens {

namespace {

using nlohmann::json;
using std::chrono::sys_seconds;

constexpr std::string_view kIssuer = "diemcau";

std::string hmacSha256(const std::string& key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::optional<json> parseObject(std::string_view encoded) {
  auto raw = base64UrlDecode(encoded);
  if (!raw) return std::nullopt;
  json value = json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return std::nullopt;
  return value;
}

const std::string* stringField(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

std::optional<std::int64_t> intField(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

}  // namespace

TokenService::TokenService(SigningKeys keys, std::function<bool(const std::string&)> isRevoked)
    : keys_(std::move(keys)), isRevoked_(std::move(isRevoked)) {}

std::string TokenService::issue(JoinClaims claims, sys_seconds issuedAt) const {
  if (claims.tokenId.empty()) claims.tokenId = randomHex(12);
  const auto& key = keys_.current();
  json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", key.id}};
  json payload = {{"iss", kIssuer},
                  {"mtg", claims.meetingId},
                  {"site", claims.siteId},
                  {"role", toString(claims.role)},
                  {"nbf", claims.notBefore.time_since_epoch().count()},
                  {"exp", claims.expiry.time_since_epoch().count()},
                  {"iat", issuedAt.time_since_epoch().count()},
                  {"jti", claims.tokenId}};
  std::string signingInput = base64UrlEncode(header.dump()) + "." + base64UrlEncode(payload.dump());
  return signingInput + "." + base64UrlEncode(hmacSha256(key.secret, signingInput));
}

std::variant<JoinClaims, TokenError> TokenService::decode(std::string_view token) const {
  if (token.empty() || token.size() > kMaxTokenSize) return TokenError::Malformed;
  auto firstDot = token.find('.');
  auto lastDot = token.rfind('.');
  if (firstDot == std::string_view::npos || firstDot == lastDot || token.find('.', firstDot + 1) != lastDot) {
    return TokenError::Malformed;
  }
  auto header = parseObject(token.substr(0, firstDot));
  if (!header) return TokenError::Malformed;
  // RFC 8725 section 3.1: the algorithm is ours to decide; "none" or RS256 in a header is never obeyed.
  const auto* alg = stringField(*header, "alg");
  const auto* kid = stringField(*header, "kid");
  if (!alg || *alg != "HS256" || !kid) return TokenError::Malformed;
  auto signature = base64UrlDecode(token.substr(lastDot + 1));
  if (!signature) return TokenError::Malformed;
  const SigningKey* key = keys_.find(*kid);
  if (!key) return TokenError::BadSignature;
  std::string expected = hmacSha256(key->secret, token.substr(0, lastDot));
  if (signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return TokenError::BadSignature;
  }
  auto payload = parseObject(token.substr(firstDot + 1, lastDot - firstDot - 1));
  if (!payload) return TokenError::Malformed;
  const auto* iss = stringField(*payload, "iss");
  const auto* mtg = stringField(*payload, "mtg");
  const auto* site = stringField(*payload, "site");
  const auto* role = stringField(*payload, "role");
  const auto* jti = stringField(*payload, "jti");
  auto nbf = intField(*payload, "nbf");
  auto exp = intField(*payload, "exp");
  if (!iss || *iss != kIssuer || !mtg || !site || !role || !jti || !nbf || !exp) return TokenError::Malformed;
  auto parsedRole = parseRole(*role);
  if (!parsedRole) return TokenError::Malformed;
  return JoinClaims{*mtg,
                    *site,
                    *parsedRole,
                    sys_seconds{std::chrono::seconds{*nbf}},
                    sys_seconds{std::chrono::seconds{*exp}},
                    *jti};
}

VerifyResult TokenService::verifyJoinToken(std::string_view token, sys_seconds now) const {
  auto decoded = decode(token);
  if (auto* error = std::get_if<TokenError>(&decoded)) return *error;
  auto& claims = std::get<JoinClaims>(decoded);
  if (isRevoked_ && isRevoked_(claims.tokenId)) return TokenError::Revoked;
  if (now < claims.notBefore) return TokenError::NotYetValid;
  // RFC 7519 section 4.1.4: on or after exp the token must not be accepted.
  if (now >= claims.expiry) return TokenError::Expired;
  return std::move(claims);
}

std::optional<JoinClaims> TokenService::readSigned(std::string_view token) const {
  auto decoded = decode(token);
  if (auto* claims = std::get_if<JoinClaims>(&decoded)) return *claims;
  return std::nullopt;
}

}  // namespace diemcau::signaling::tokens
