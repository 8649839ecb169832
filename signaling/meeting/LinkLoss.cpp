// Seats held for a site whose link dropped (docs/PROTOCOL.md, "Resuming after a lost link").
//
//   WebSocket closed ─┐                              ┌─ join again within the window ─► participant.reconnected {gapMs}
//                     ├─► participant.reconnecting ──┤
//   media lost ───────┘   (lostAt = now)             └─ window over (tick) ─────────────► participant.left "connection lost"
//
// While lost, the seat keeps its role, hand, floor, spotlight and chair mute; the bridge keeps its
// connections (media may still flow when only the WebSocket dropped).
#include <spdlog/spdlog.h>

#include "signaling/meeting/MeetingService.hpp"

namespace diemcau::signaling::meeting {

namespace {

int64_t millisBetween(std::chrono::system_clock::time_point from, std::chrono::system_clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

}  // namespace

void MeetingService::markLost(LiveMeeting& meeting, Participant& participant, const nlohmann::json& logExtra) {
  if (participant.lostAt) return;
  participant.lostAt = meeting.now();
  // The quality event stops while nothing is measured; the next sample after the return starts afresh.
  participant.quality.reset();
  participant.lastStats.reset();
  spdlog::info("meeting {}: {} lost its link; the seat waits {} s", meeting.id(), participant.id,
               options_.resumeWindow.count());
  meeting.announce("participant.reconnecting", {{"participant", participant.id}}, logExtra, &participant.id);
}

void MeetingService::announceResumed(LiveMeeting& meeting, Participant& participant,
                                     std::chrono::system_clock::time_point lostAt) {
  const int64_t gapMs = millisBetween(lostAt, meeting.now());
  spdlog::info("meeting {}: {} is back after {} ms", meeting.id(), participant.id, gapMs);
  meeting.announce("participant.reconnected", {{"participant", participant.id}, {"gapMs", gapMs}}, {},
                   &participant.id);
}

void MeetingService::expireLost(LiveMeeting& meeting) {
  const auto now = meeting.now();
  std::vector<std::pair<std::string, int64_t>> expired;
  for (const auto& [id, participant] : meeting.participants()) {
    if (participant.lostAt && now - *participant.lostAt >= options_.resumeWindow) {
      expired.emplace_back(id, millisBetween(*participant.lostAt, now));
    }
  }
  for (const auto& [id, gapMs] : expired) {
    Participant* participant = meeting.find(id);
    if (participant == nullptr) continue;
    // A WebSocket may still be open when only the media was lost: it has no seat any more.
    if (protocol::Connection* connection = participant->connection) {
      seats_.erase(connection->id());
      participant->connection = nullptr;
      connection->close("the link was lost for too long");
    }
    removeParticipant(meeting, id, "connection lost", {{"gapMs", gapMs}});
  }
}

void MeetingService::tick() {
  if (!resumable()) return;
  for (auto& [id, meeting] : meetings_) expireLost(*meeting);
}

}  // namespace diemcau::signaling::meeting
