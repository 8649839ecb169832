// The chair's actions: floor.give, floor.take, mute, spotlight, remove, lock, end (docs/PROTOCOL.md,
// "Meetings: the chair"). Only participants whose token says host may use them; a meeting may have
// several chairs. Each is logged with the chair's id ("by").

#include "signaling/meeting/MeetingService.hpp"
#include "signaling/protocol/Messages.hpp"
#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::meeting {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

nlohmann::json optionalId(const std::optional<std::string>& id) {
  return id ? nlohmann::json(*id) : nlohmann::json(nullptr);
}

}  // namespace

MeetingService::Caller MeetingService::chair(protocol::Connection& connection) {
  Caller who = caller(connection);
  if (who.participant.role != tokens::Role::Host) {
    throw ProtocolError(ErrorCode::NotAllowed, "only the chair may do this", "chair_only");
  }
  return who;
}

Participant& MeetingService::target(LiveMeeting& meeting, const protocol::Request& request) {
  const std::string& id = request.requireString("participant");
  Participant* participant = meeting.find(id);
  if (participant == nullptr) {
    throw ProtocolError(ErrorCode::NotFound, "participant '" + id.substr(0, 64) + "' is not in the meeting");
  }
  return *participant;
}

std::optional<nlohmann::json> MeetingService::floorGive(protocol::Connection& connection,
                                                        const protocol::Request& request) {
  Caller who = chair(connection);
  Participant& to = target(who.meeting, request);
  if (to.role == tokens::Role::Viewer) throw ProtocolError(ErrorCode::NotAllowed, "a viewer cannot have the floor");
  const nlohmann::json by = {{"by", who.participant.id}};
  if (to.handRaised) {
    to.handRaised = false;
    who.meeting.announce("hand.changed", {{"participant", to.id}, {"raised", false}}, by);
  }
  if (who.meeting.floor != to.id) {
    who.meeting.floor = to.id;
    who.meeting.announce("floor.changed", {{"participant", to.id}}, by);
    who.meeting.pushRouting();
  }
  return nlohmann::json::object();
}

std::optional<nlohmann::json> MeetingService::floorTake(protocol::Connection& connection,
                                                        const protocol::Request& /*request*/) {
  Caller who = chair(connection);
  if (who.meeting.floor) {
    who.meeting.floor.reset();
    who.meeting.announce("floor.changed", {{"participant", nullptr}}, {{"by", who.participant.id}});
    who.meeting.pushRouting();
  }
  return nlohmann::json::object();
}

std::optional<nlohmann::json> MeetingService::mute(protocol::Connection& connection,
                                                   const protocol::Request& request) {
  Caller who = chair(connection);
  Participant& to = target(who.meeting, request);
  const bool muted = request.requireBool("muted");
  if (who.meeting.isAudioMuted(to.id) != muted) {
    who.meeting.setAudioMuted(to.id, muted);
    // The bridge drops the audio: a client that ignores the event is muted all the same.
    who.meeting.pushRouting();
    who.meeting.announce("mute.changed", {{"participant", to.id}, {"audioMuted", muted}},
                         {{"by", who.participant.id}});
  }
  return nlohmann::json::object();
}

std::optional<nlohmann::json> MeetingService::spotlight(protocol::Connection& connection,
                                                        const protocol::Request& request) {
  Caller who = chair(connection);
  if (!request.body.contains("participant")) {
    throw ProtocolError(ErrorCode::BadRequest, "field 'participant' is required (null clears the spotlight)");
  }
  std::optional<std::string> next;
  if (!request.body["participant"].is_null()) next = target(who.meeting, request).id;
  if (who.meeting.spotlight != next) {
    who.meeting.spotlight = next;
    who.meeting.announce("spotlight.changed", {{"participant", optionalId(next)}}, {{"by", who.participant.id}});
    who.meeting.pushRouting();
  }
  return nlohmann::json::object();
}

std::optional<nlohmann::json> MeetingService::remove(protocol::Connection& connection,
                                                     const protocol::Request& request) {
  Caller who = chair(connection);
  Participant& to = target(who.meeting, request);
  if (to.id == who.participant.id) throw ProtocolError(ErrorCode::NotAllowed, "use leave to leave the meeting");
  // Revoked first: if the store fails, the site is still there and the chair sees the error.
  store_.revokeToken(to.tokenId, to.tokenExpiry, std::chrono::floor<std::chrono::seconds>(options_.now()));
  protocol::Connection* removed = to.connection;
  const std::string removedId = to.id;
  if (removed != nullptr) {
    removed->send(protocol::makeEvent("removed"));
    removed->close("removed from the meeting by the chair");
  }
  removeParticipant(who.meeting, removedId, "removed", {{"by", who.participant.id}});
  return nlohmann::json::object();
}

std::optional<nlohmann::json> MeetingService::lock(protocol::Connection& connection,
                                                   const protocol::Request& request) {
  Caller who = chair(connection);
  const bool locked = request.requireBool("locked");
  if (who.meeting.locked != locked) {
    who.meeting.locked = locked;
    who.meeting.announce("meeting.locked", {{"locked", locked}}, {{"by", who.participant.id}});
  }
  return nlohmann::json::object();
}

std::optional<nlohmann::json> MeetingService::end(protocol::Connection& connection,
                                                  const protocol::Request& request) {
  Caller who = chair(connection);
  const std::string meetingId = who.meeting.id();
  const std::string chairId = who.participant.id;
  store_.setMeetingState(meetingId, store::MeetingState::Ended);
  // Replied before the close that endMeeting starts, because a closing connection sends nothing more.
  connection.send(protocol::makeReply(request.id));
  endMeeting(meetingId, "ended by the chair", {{"by", chairId}});
  return std::nullopt;
}

}  // namespace diemcau::signaling::meeting
