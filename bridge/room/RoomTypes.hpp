#pragma once
// Vocabulary shared by the bridge's rooms and the signaling thread's meeting service. Plain values:
// they cross threads by copy.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diemcau::bridge {

enum class Role { Host, Site, Viewer };
enum class TrackKind { Audio, Video };
/// Each participant has one publish connection (it offers, the bridge answers) and one subscribe
/// connection (the bridge offers, it answers).
enum class TransportKind { Publish, Subscribe };

std::string_view toString(Role role);
std::optional<Role> roleFromString(std::string_view text);
std::string_view toString(TrackKind kind);
std::string_view toString(TransportKind kind);
std::optional<TransportKind> transportKindFromString(std::string_view text);

struct ParticipantInfo {
  std::string id;           // unique in the room: the site slug (a site joins once; the newer wins)
  std::string displayName;  // "Xã Lăng Can"
  Role role = Role::Site;
};

struct TrackInfo {
  std::string id;             // "<participant>.<audio|video>": msid token characters only (RFC 8830)
  std::string participantId;
  TrackKind kind = TrackKind::Audio;
  std::string codec;          // "opus", "VP8", "H264"
};

/// What the routing policy needs to know about the meeting; owned by the signaling thread and
/// copied to the room on every change.
struct RoutingState {
  std::optional<std::string> floor;      // participant who has the floor
  std::optional<std::string> spotlight;  // participant shown to everyone
  std::vector<std::string> audioMuted;   // participants whose audio the bridge drops (chair mute)
};

/// Counters of one participant's connections, for status and network-quality reporting.
struct ParticipantStats {
  std::string participantId;
  uint64_t packetsReceived = 0;
  uint64_t packetsSent = 0;
  uint64_t bytesReceived = 0;
  uint64_t bytesSent = 0;
  double fractionLost = 0;  // upstream, from our receiver reports
  uint32_t rttMs = 0;       // from the subscriber's receiver reports on our sender reports
};

}  // namespace diemcau::bridge
