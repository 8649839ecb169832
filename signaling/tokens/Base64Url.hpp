#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace diemcau::signaling::tokens {

/// base64url without padding (RFC 4648 section 5), as JWS compact serialisation requires (RFC 7515 section
/// 2).
std::string base64UrlEncode(std::string_view bytes);

/// Strict decoder: rejects padding, characters outside the url alphabet, a length of 1 mod 4 and non-zero
/// trailing bits, so one token has exactly one spelling.
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace diemcau::signaling::tokens
