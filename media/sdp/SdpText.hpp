#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Small bounded text helpers shared by the SDP parser, writer and negotiator.
namespace diemcau::media::sdp::text {

std::string_view trim(std::string_view text) noexcept;
bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept;
std::string toLower(std::string_view text);

/// Splits on any run of spaces/tabs; never returns empty tokens.
std::vector<std::string_view> splitWhitespace(std::string_view text);
std::vector<std::string_view> split(std::string_view text, char separator);

/// Decimal number with no sign, no spaces and no trailing characters, at most `max`.
std::optional<uint32_t> parseUint(std::string_view text, uint32_t max) noexcept;

}  // namespace diemcau::media::sdp::text
