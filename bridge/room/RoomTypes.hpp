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
  uint8_t payloadType = 0;    // as negotiated on the publish connection (the recorder's RTP caps)
  uint32_t clockRate = 0;
};

/// What the routing policy needs to know about the meeting; owned by the signaling thread and
/// copied to the room on every change.
struct RoutingState {
  std::optional<std::string> floor;      // participant who has the floor
  std::optional<std::string> spotlight;  // participant shown to everyone
  std::vector<std::string> audioMuted;   // participants whose audio the bridge drops (chair mute)
  /// Audio last-N: in a meeting with more speakers, only the K best-ranked audio streams besides
  /// the hosts' and the floor holder's are forwarded; 0 forwards everyone's.
  unsigned audioLastN = 3;
  /// Last-N video: sites and viewers also receive the video of the N most recent dominant
  /// speakers (besides hosts, floor holder and spotlight); 0 turns it off.
  unsigned videoLastN = 2;
};

/// A participant as the room's speaker detection ranks it.
struct RankedSpeaker {
  std::string id;
  Role role = Role::Site;
};

/// What the room measured about who speaks (bridge/room/SpeakerDetector): the routing policy's
/// second input, owned by the room's worker.
struct SpeakerActivity {
  std::vector<RankedSpeaker> audioRanking;    // publishers that send audio levels, best first
  std::vector<RankedSpeaker> recentDominant;  // dominant speakers, most recent first, each once
};

/// Counters of one participant's connections, for status and network-quality reporting.
struct ParticipantStats {
  std::string participantId;
  uint64_t packetsReceived = 0;
  uint64_t packetsSent = 0;
  uint64_t bytesReceived = 0;
  uint64_t bytesSent = 0;
  double fractionLost = 0;      // upstream, from our receiver reports
  double fractionLostDown = 0;  // downstream, the worst block of the subscriber's latest receiver reports
  uint32_t rttMs = 0;           // from the subscriber's receiver reports on our sender reports
  bool connected = false;       // a connection of the participant carries media (ICE and DTLS up)
  // Retransmission, as counted by the bridge for this participant.
  uint64_t nacksReceived = 0;         // sequence numbers it NACKed as a receiver
  uint64_t packetsRetransmitted = 0;  // repairs the bridge sent it from the history
  uint64_t retransmitTooOld = 0;      // NACKed packets too old to help, not resent
  uint64_t nacksSentUpstream = 0;     // sequence numbers the bridge asked of it as a publisher
  uint64_t packetsRecovered = 0;      // of those, the ones that arrived after all
};

}  // namespace diemcau::bridge
