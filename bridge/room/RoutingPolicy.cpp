#include "bridge/room/RoutingPolicy.hpp"

#include <algorithm>

namespace diemcau::bridge {

const SpeakerActivity RoutingPolicy::kNoActivity{};

bool RoutingPolicy::receives(const ParticipantInfo& subscriber, const TrackInfo& track, Role publisherRole,
                             std::optional<unsigned> videoLastN) const {
  if (subscriber.id == track.participantId) return false;  // nobody receives their own media back
  if (track.kind == TrackKind::Audio) return true;
  if (subscriber.role == Role::Host) return true;
  if (publisherRole == Role::Host || isFeatured(track.participantId)) return true;
  return isRecentSpeaker(track.participantId, subscriber.id, videoLastN.value_or(state_.videoLastN));
}

bool RoutingPolicy::audioForwarded(std::string_view participantId, Role role) const {
  if (state_.audioLastN == 0 || role == Role::Host) return true;
  if (state_.floor && *state_.floor == participantId) return true;
  unsigned before = 0;  // competing streams ranked before this one
  for (const auto& ranked : activity_.audioRanking) {
    if (ranked.id == participantId) return before < state_.audioLastN;
    if (ranked.role != Role::Host && !(state_.floor && *state_.floor == ranked.id)) ++before;
  }
  return true;  // sends no levels: it cannot be ranked, so it is never silenced
}

// The first `lastN` recent dominant speakers that the subscriber does not see anyway and that are
// not the subscriber itself: the slots always show someone new to it.
bool RoutingPolicy::isRecentSpeaker(std::string_view participantId, std::string_view subscriberId,
                                    unsigned lastN) const {
  unsigned counted = 0;
  for (const auto& speaker : activity_.recentDominant) {
    if (counted >= lastN) return false;
    if (speaker.id == subscriberId || speaker.role == Role::Host || isFeatured(speaker.id)) continue;
    if (speaker.id == participantId) return true;
    ++counted;
  }
  return false;
}

bool RoutingPolicy::audioMuted(std::string_view participantId) const {
  return std::find(state_.audioMuted.begin(), state_.audioMuted.end(), participantId) != state_.audioMuted.end();
}

bool RoutingPolicy::isFeatured(std::string_view participantId) const {
  return (state_.floor && *state_.floor == participantId) || (state_.spotlight && *state_.spotlight == participantId);
}

}  // namespace diemcau::bridge
