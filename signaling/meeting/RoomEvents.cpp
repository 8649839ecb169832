// What the room reports, turned into events for the participants (docs/PROTOCOL.md, "Meetings: events").
// Reports about a participant who has left or been replaced since are dropped: the room learns of the
// change by a task queued after the report.
#include <spdlog/spdlog.h>

#include "signaling/meeting/MeetingService.hpp"
#include "signaling/meeting/WireNames.hpp"

namespace diemcau::signaling::meeting {

namespace {

nlohmann::json trackJson(const bridge::TrackInfo& track) {
  return {{"id", track.id}, {"participant", track.participantId}, {"kind", trackKindName(track.kind)}};
}

}  // namespace

void MeetingService::onTrackAdded(const std::string& meetingId, const bridge::TrackInfo& track) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  Participant* p = it->second->find(track.participantId);
  if (p == nullptr || p->connection == nullptr) return;
  p->tracks[track.id] = track;
  it->second->announce("track.added", {{"track", trackJson(track)}}, {{"codec", track.codec}});
  recordings_->trackAdded(*it->second, track);
}

void MeetingService::onTrackRemoved(const std::string& meetingId, const bridge::TrackInfo& track) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  Participant* p = it->second->find(track.participantId);
  // Already announced when the participant left or was replaced.
  if (p == nullptr || p->tracks.erase(track.id) == 0) return;
  it->second->announce("track.removed", {{"track", trackJson(track)}});
  recordings_->tracksChanged(*it->second);
}

void MeetingService::onSubscriberOffer(const std::string& meetingId, const std::string& participantId,
                                       uint32_t version, const std::string& sdp) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  Participant* p = it->second->find(participantId);
  if (p == nullptr || p->connection == nullptr) return;
  p->offeredVersion = version;
  p->offerAnswered = false;
  it->second->sendTo(*p, "subscribe.offer", {{"version", version}, {"sdp", sdp}});
  spdlog::debug("meeting {}: subscribe.offer {} sent to {}", meetingId, version, participantId);
  // The SDP itself is not minutes material; its version says when the view changed.
  it->second->record("subscribe.offer", {{"participant", participantId}, {"version", version}});
}

void MeetingService::onLocalCandidate(const std::string& meetingId, const std::string& participantId,
                                      bridge::TransportKind transport, const std::string& candidate,
                                      const std::string& mid) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  Participant* p = it->second->find(participantId);
  if (p == nullptr || p->connection == nullptr) return;
  // With BUNDLE every candidate belongs to the first m-line's transport (RFC 8843 section 10.2).
  it->second->sendTo(*p, "candidate",
                     {{"transport", transportName(transport)}, {"candidate", candidate}, {"sdpMid", mid},
                      {"sdpMLineIndex", 0}});
}

void MeetingService::onDominantSpeaker(const std::string& meetingId, const std::optional<std::string>& participantId,
                                       const std::vector<std::string>& active) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  LiveMeeting& meeting = *it->second;
  // A report about someone who left since: the room's next report (or none) follows its removal.
  if (participantId && meeting.find(*participantId) == nullptr) return;
  if (meeting.speaker == participantId) return;
  meeting.speaker = participantId;
  nlohmann::json speaking = nlohmann::json::array();
  for (const auto& id : active) {
    if (meeting.find(id) != nullptr) speaking.push_back(id);
  }
  meeting.announce("speaker.changed",
                   {{"participant", participantId ? nlohmann::json(*participantId) : nlohmann::json()},
                    {"active", std::move(speaking)}});
}

void MeetingService::onTransportFailed(const std::string& meetingId, const std::string& participantId,
                                       bridge::TransportKind transport, const std::string& reason) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  Participant* p = it->second->find(participantId);
  if (p == nullptr) return;
  spdlog::info("meeting {}: {}'s {} connection failed: {}", meetingId, participantId, transportName(transport),
               reason);
  if (resumable()) {
    // The site may restart ICE or join again; its WebSocket, if still open, hears why.
    p->mediaLost |= transportBit(transport);
    if (p->lostAt) return;
    it->second->sendTo(*p, "media.lost", {{"transport", transportName(transport)}, {"reason", reason}});
    markLost(*it->second, *p, {{"cause", "media"}, {"transport", transportName(transport)}, {"detail", reason}});
    return;
  }
  protocol::Connection* connection = p->connection;
  if (connection != nullptr) connection->close("connection lost");
  removeParticipant(*it->second, participantId, "connection lost",
                    {{"transport", transportName(transport)}, {"detail", reason}});
}

void MeetingService::onTransportRecovered(const std::string& meetingId, const std::string& participantId,
                                          bridge::TransportKind transport) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  Participant* p = it->second->find(participantId);
  if (p == nullptr) return;
  p->mediaLost &= static_cast<uint8_t>(~transportBit(transport));
  // Back when every lost connection is restarted and the WebSocket held on meanwhile.
  if (p->mediaLost != 0 || !p->lostAt || p->connection == nullptr) return;
  const auto lostAt = *p->lostAt;
  p->lostAt.reset();
  announceResumed(*it->second, *p, lostAt);
}

}  // namespace diemcau::signaling::meeting
