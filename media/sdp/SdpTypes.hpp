#pragma once

#include <optional>
#include <string_view>

namespace diemcau::media::sdp {

enum class MediaKind { Audio, Video, Application, Unknown };

/// RFC 8866 section 6.7 media direction, seen from the side that wrote the description.
enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };

/// RFC 4145 section 4 / RFC 5763 section 5: who opens the DTLS association.
enum class SetupRole { ActPass, Active, Passive };

std::string_view toString(MediaKind kind) noexcept;
std::string_view toString(Direction direction) noexcept;
std::string_view toString(SetupRole role) noexcept;

MediaKind mediaKindFromString(std::string_view text) noexcept;
std::optional<Direction> directionFromString(std::string_view text) noexcept;
std::optional<SetupRole> setupRoleFromString(std::string_view text) noexcept;

/// The direction an answerer states for what the offerer wrote (RFC 3264 section 6.1):
/// sendonly <-> recvonly, sendrecv and inactive stay.
Direction reverse(Direction direction) noexcept;

/// Our DTLS role for the role the peer offered: passive makes us active, active and actpass make us
/// passive. RFC 5763 section 5 lets an answerer to actpass pick either; the bridge sits on a public
/// address, so it waits for the client's ClientHello instead of racing the client's ICE checks.
SetupRole answerRole(SetupRole offered) noexcept;

}  // namespace diemcau::media::sdp
