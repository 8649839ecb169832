#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace diemcau::signaling::admin {

/// Well-formed UTF-8 (RFC 3629 section 4): no overlongs, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(std::string_view text);

/// Site ids: 1-63 of [a-z0-9-], starting with a letter or digit ("lang-can", "huyen").
bool isSlug(std::string_view text);

/// The string field `name` of body, or nullopt when absent. Throws ApiError 422 naming the field when it is
/// not a string, is not UTF-8, contains control characters (other than newline/tab when multiline), is empty
/// while required non-empty, or is longer than maxBytes.
std::optional<std::string> optionalText(const nlohmann::json& body, const char* name, std::size_t maxBytes,
                                        bool multiline = false, bool allowEmpty = false);
std::string requiredText(const nlohmann::json& body, const char* name, std::size_t maxBytes,
                         bool multiline = false);

}  // namespace diemcau::signaling::admin
