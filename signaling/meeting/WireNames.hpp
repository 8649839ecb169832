#pragma once
// Wire names of the bridge vocabulary as docs/PROTOCOL.md spells them. Kept here so that the meeting
// protocol does not depend on the bridge's compiled code.
#include <cstdint>
#include <optional>
#include <string_view>

#include "bridge/room/RoomTypes.hpp"
#include "signaling/tokens/JoinClaims.hpp"

namespace diemcau::signaling::meeting {

std::string_view trackKindName(bridge::TrackKind kind);
std::string_view transportName(bridge::TransportKind kind);
std::optional<bridge::TransportKind> parseTransport(std::string_view text);
bridge::Role bridgeRole(tokens::Role role);
/// One bit per connection of a participant (Participant::mediaLost).
uint8_t transportBit(bridge::TransportKind transport);

/// Well-formed UTF-8 (RFC 3629 section 4: no overlongs, no surrogates, at most U+10FFFF); nullopt
/// otherwise, else the number of code points.
std::optional<size_t> countUtf8(std::string_view text);

}  // namespace diemcau::signaling::meeting
