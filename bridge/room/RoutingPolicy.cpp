#include "bridge/room/RoutingPolicy.hpp"

#include <algorithm>

namespace diemcau::bridge {

bool RoutingPolicy::receives(const ParticipantInfo& subscriber, const TrackInfo& track, Role publisherRole) const {
  if (subscriber.id == track.participantId) return false;  // nobody receives their own media back
  if (track.kind == TrackKind::Audio) return true;
  if (subscriber.role == Role::Host) return true;
  return publisherRole == Role::Host || isFeatured(track.participantId);
}

bool RoutingPolicy::audioMuted(std::string_view participantId) const {
  return std::find(state_.audioMuted.begin(), state_.audioMuted.end(), participantId) != state_.audioMuted.end();
}

bool RoutingPolicy::isFeatured(std::string_view participantId) const {
  return (state_.floor && *state_.floor == participantId) || (state_.spotlight && *state_.spotlight == participantId);
}

}  // namespace diemcau::bridge
