#include "signaling/meeting/LiveMeeting.hpp"

#include "signaling/meeting/WireNames.hpp"
#include "signaling/protocol/Messages.hpp"
#include "signaling/protocol/SharedMessage.hpp"

namespace diemcau::signaling::meeting {

LiveMeeting::LiveMeeting(store::Meeting info, std::unique_ptr<EventLog> log, Now now)
    : info_(std::move(info)), log_(std::move(log)), now_(std::move(now)) {}

LiveMeeting::~LiveMeeting() = default;

Participant* LiveMeeting::find(const std::string& participantId) {
  auto it = participants_.find(participantId);
  return it == participants_.end() ? nullptr : &it->second;
}

Participant& LiveMeeting::seat(Participant participant) {
  const std::string id = participant.id;
  auto [it, inserted] = participants_.insert_or_assign(id, std::move(participant));
  return it->second;
}

void LiveMeeting::unseat(const std::string& participantId) { participants_.erase(participantId); }

void LiveMeeting::setAudioMuted(const std::string& participantId, bool muted) {
  if (muted) {
    audioMuted_.insert(participantId);
  } else {
    audioMuted_.erase(participantId);
  }
}

void LiveMeeting::setRoom(std::unique_ptr<RoomPort::Events> events, std::unique_ptr<RoomPort> room) {
  room_.reset();
  roomEvents_ = std::move(events);
  room_ = std::move(room);
}

void LiveMeeting::closeRoom() {
  room_.reset();
  roomEvents_.reset();
}

bridge::RoutingState LiveMeeting::routingState() const {
  bridge::RoutingState state;
  state.floor = floor;
  state.spotlight = spotlight;
  state.audioMuted.assign(audioMuted_.begin(), audioMuted_.end());
  state.audioLastN = audioLastN;
  state.videoLastN = videoLastN;
  return state;
}

void LiveMeeting::pushRouting() {
  if (room_) room_->setRoutingState(routingState());
}

void LiveMeeting::announce(std::string_view type, const nlohmann::json& fields, const nlohmann::json& logExtra,
                           const std::string* except) {
  const protocol::SharedMessage event(protocol::makeEvent(type, fields));
  for (auto& [id, participant] : participants_) {
    if (except != nullptr && id == *except) continue;
    if (participant.connection != nullptr) participant.connection->sendShared(event);
  }
  if (logExtra.is_object() && !logExtra.empty()) {
    nlohmann::json merged = fields;
    for (const auto& [key, value] : logExtra.items()) merged[key] = value;
    record(type, merged);
  } else {
    record(type, fields);
  }
}

void LiveMeeting::record(std::string_view type, const nlohmann::json& fields) {
  if (log_) log_->append(now_(), type, fields);
}

void LiveMeeting::sendTo(Participant& participant, std::string_view type, const nlohmann::json& fields) {
  if (participant.connection != nullptr) participant.connection->send(protocol::makeEvent(type, fields));
}

nlohmann::json LiveMeeting::participantJson(const Participant& p) const {
  return {{"id", p.id}, {"displayName", p.displayName}, {"role", tokens::toString(p.role)}};
}

nlohmann::json LiveMeeting::rosterJson() const {
  nlohmann::json roster = nlohmann::json::array();
  for (const auto& [id, p] : participants_) {
    nlohmann::json tracks = nlohmann::json::array();
    for (const auto& [trackId, track] : p.tracks) {
      tracks.push_back({{"id", trackId}, {"kind", trackKindName(track.kind)}});
    }
    nlohmann::json entry = participantJson(p);
    entry["tracks"] = std::move(tracks);
    entry["hand"] = p.handRaised;
    entry["audioMuted"] = isAudioMuted(id);
    entry["reconnecting"] = p.lostAt.has_value();
    if (p.quality) entry["quality"] = toJson(*p.quality);
    roster.push_back(std::move(entry));
  }
  return roster;
}

nlohmann::json LiveMeeting::meetingJson() const {
  return {{"id", info_.id}, {"title", info_.title}, {"state", store::toString(info_.state)}, {"agenda", info_.agenda}};
}

}  // namespace diemcau::signaling::meeting
