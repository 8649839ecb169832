// The rooms' counters turned into the `quality` event and the admin status's link quality
// (docs/PROTOCOL.md, "Network quality"). Only sites whose quality changed meaningfully are sent, so
// a steady meeting is quiet. Each change is also logged as `link.quality` (loss as a fraction, round
// trip), from which the minutes give each site's link quality.
#include "signaling/meeting/LinkQuality.hpp"
#include "signaling/meeting/MeetingService.hpp"
#include "signaling/protocol/Messages.hpp"
#include "signaling/protocol/SharedMessage.hpp"

namespace diemcau::signaling::meeting {

void MeetingService::onStats(const std::string& meetingId, const std::vector<bridge::ParticipantStats>& stats,
                             std::chrono::steady_clock::time_point sampledAt) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  LiveMeeting& meeting = *it->second;
  nlohmann::json changed = nlohmann::json::array();
  for (const auto& sample : stats) {
    Participant* p = meeting.find(sample.participantId);
    if (p == nullptr || p->lostAt) continue;
    if (p->lastStats) {
      const auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(sampledAt - p->lastStatsAt);
      const LinkQuality q = measureLink(*p->lastStats, sample, interval);
      if (!p->quality || meaningfulChange(*p->quality, q)) {
        p->quality = q;
        nlohmann::json entry = toJson(q);
        entry["participant"] = p->id;
        changed.push_back(std::move(entry));
        meeting.record("link.quality",
                       {{"participant", p->id}, {"fractionLost", q.lossPct / 100.0}, {"rttMs", q.rttMs}});
      }
    }
    p->lastStats = sample;
    p->lastStatsAt = sampledAt;
  }
  if (changed.empty()) return;
  const protocol::SharedMessage event(protocol::makeEvent("quality", {{"sites", std::move(changed)}}));
  for (auto& [id, participant] : meeting.participants()) {
    if (participant.connection != nullptr) participant.connection->sendShared(event);
  }
}

}  // namespace diemcau::signaling::meeting
