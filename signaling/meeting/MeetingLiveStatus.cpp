#include "signaling/meeting/MeetingLiveStatus.hpp"

#include "signaling/meeting/LiveMeeting.hpp"

namespace diemcau::signaling::meeting {

nlohmann::json MeetingLiveStatus::liveStatus(const std::string& meetingId) const {
  auto meetings = meetings_.lock();
  const LiveMeeting* live = meetings ? meetings->find(meetingId) : nullptr;
  if (live == nullptr) return nullptr;
  auto optionalId = [](const std::optional<std::string>& id) { return id ? nlohmann::json(*id) : nlohmann::json(); };
  nlohmann::json sites = nlohmann::json::array();
  for (const auto& [id, participant] : live->participants()) {
    sites.push_back({{"id", id},
                     {"connected", participant.connection != nullptr},
                     {"hand", participant.handRaised},
                     {"audioMuted", live->isAudioMuted(id)}});
  }
  return {{"floor", optionalId(live->floor)},
          {"spotlight", optionalId(live->spotlight)},
          {"locked", live->locked},
          {"sites", sites}};
}

}  // namespace diemcau::signaling::meeting
