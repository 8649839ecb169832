#pragma once
// Who receives what in a meeting, as a pure decision over plain values so it can be tested and
// reasoned about without transports:
//   - audio: everyone hears everyone else (a chair mute drops packets on the bridge, it does not
//     change the subscriptions: the receiver keeps its section and simply hears silence);
//   - video: a host receives every other participant's video; sites and viewers receive the
//     hosts' video, the floor holder's and the spotlighted participant's.
#include <string_view>

#include "bridge/room/RoomTypes.hpp"

namespace diemcau::bridge {

class RoutingPolicy {
 public:
  explicit RoutingPolicy(const RoutingState& state) : state_(state) {}

  /// True if `subscriber` receives `track`, published by a participant with `publisherRole`.
  bool receives(const ParticipantInfo& subscriber, const TrackInfo& track, Role publisherRole) const;
  /// True if the chair muted `participantId`'s audio: the bridge drops it.
  bool audioMuted(std::string_view participantId) const;

 private:
  bool isFeatured(std::string_view participantId) const;

  const RoutingState& state_;
};

}  // namespace diemcau::bridge
