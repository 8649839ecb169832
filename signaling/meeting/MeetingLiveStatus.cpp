#include "signaling/meeting/MeetingLiveStatus.hpp"

#include "signaling/meeting/LinkQuality.hpp"
#include "signaling/meeting/LiveMeeting.hpp"

namespace diemcau::signaling::meeting {

nlohmann::json MeetingLiveStatus::liveStatus(const std::string& meetingId) const {
  auto meetings = meetings_.lock();
  const LiveMeeting* live = meetings ? meetings->find(meetingId) : nullptr;
  if (live == nullptr) return nullptr;
  auto optionalId = [](const std::optional<std::string>& id) { return id ? nlohmann::json(*id) : nlohmann::json(); };
  nlohmann::json sites = nlohmann::json::array();
  for (const auto& [id, participant] : live->participants()) {
    nlohmann::json site = {{"id", id},
                           {"connected", participant.connection != nullptr && !participant.lostAt},
                           {"reconnecting", participant.lostAt.has_value()},
                           {"hand", participant.handRaised},
                           {"audioMuted", live->isAudioMuted(id)}};
    if (participant.quality) {
      site["quality"] = summary(*participant.quality);
      site["link"] = toJson(*participant.quality);
    }
    sites.push_back(std::move(site));
  }
  return {{"floor", optionalId(live->floor)},
          {"spotlight", optionalId(live->spotlight)},
          {"locked", live->locked},
          {"sites", sites}};
}

}  // namespace diemcau::signaling::meeting
