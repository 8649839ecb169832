#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/ServerConfig.hpp"

namespace diemcau::config {

// Parsers for option values. Each returns std::nullopt on a malformed value and never throws, so the
// caller can raise one ConfigError that names the option and where the value came from.

/// "127.0.0.1:8080", "[::1]:8080"; the host must be an IP literal so the bind address is explicit.
std::optional<ListenAddress> parseListenAddress(std::string_view text);
/// "40000-40999"; both ends in 1024..65535, first <= last.
std::optional<PortRange> parsePortRange(std::string_view text);
/// A decimal integer within [min, max], no sign, no suffix.
std::optional<uint64_t> parseBoundedInteger(std::string_view text, uint64_t min, uint64_t max);
/// true/false, yes/no, on/off, 1/0 (case-insensitive).
std::optional<bool> parseBoolean(std::string_view text);
/// trace, debug, info, warn, error, critical, off.
bool isLogLevel(std::string_view text);
/// An IPv4 or IPv6 literal.
bool isIpAddress(std::string_view text);
/// Splits "a, b,c" into trimmed non-empty items.
std::vector<std::string> splitList(std::string_view text);

}  // namespace diemcau::config
