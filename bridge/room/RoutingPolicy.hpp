#pragma once
// Who receives what in a meeting, as a pure decision over plain values so it can be tested and
// reasoned about without transports:
//   - audio: everyone hears everyone else (a chair mute drops packets on the bridge, it does not
//     change the subscriptions: the receiver keeps its section and simply hears silence);
//   - video: a host receives every other participant's video; sites and viewers receive the
//     hosts' video, the floor holder's and the spotlighted participant's.
#include <optional>
#include <string_view>

#include "bridge/room/RoomTypes.hpp"

namespace diemcau::bridge {

class RoutingPolicy {
 public:
  explicit RoutingPolicy(const RoutingState& state) : state_(state), activity_(kNoActivity) {}
  RoutingPolicy(const RoutingState& state, const SpeakerActivity& activity) : state_(state), activity_(activity) {}

  /// True if `subscriber` receives `track`, published by a participant with `publisherRole`.
  /// `videoLastN` replaces RoutingState::videoLastN for this subscriber when given.
  bool receives(const ParticipantInfo& subscriber, const TrackInfo& track, Role publisherRole,
                std::optional<unsigned> videoLastN = std::nullopt) const;
  /// True if the chair muted `participantId`'s audio: the bridge drops it.
  bool audioMuted(std::string_view participantId) const;
  /// Audio last-N: true if `participantId`'s audio is forwarded (chair mutes aside).
  bool audioForwarded(std::string_view participantId, Role role) const;

 private:
  static const SpeakerActivity kNoActivity;

  bool isFeatured(std::string_view participantId) const;
  bool isRecentSpeaker(std::string_view participantId, std::string_view subscriberId, unsigned lastN) const;

  const RoutingState& state_;
  const SpeakerActivity& activity_;
};

}  // namespace diemcau::bridge
