// publish, subscribe.answer and candidate: the requests that negotiate a participant's two connections
// (docs/PROTOCOL.md, "Meetings: media"). Each is checked here, handed to the room, and answered when the
// room's worker has done it.
#include <spdlog/spdlog.h>

#include "signaling/meeting/MeetingService.hpp"
#include "signaling/meeting/WireNames.hpp"
#include "signaling/protocol/Messages.hpp"
#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::meeting {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

nlohmann::json errorReply(const nlohmann::json& requestId, const RoomPort::Error& error) {
  return protocol::makeError(requestId, error.code, error.message);
}

}  // namespace

std::optional<nlohmann::json> MeetingService::publish(protocol::Connection& connection,
                                                      const protocol::Request& request) {
  Caller who = caller(connection);
  if (who.participant.role == tokens::Role::Viewer) {
    throw ProtocolError(ErrorCode::NotAllowed, "viewers do not publish", "role_forbidden");
  }
  const std::string& sdp = request.requireString("sdp");
  if (sdp.size() > kMaxPublishSdpBytes) {
    throw ProtocolError(ErrorCode::TooLarge, "field 'sdp' is longer than " + std::to_string(kMaxPublishSdpBytes) + " bytes");
  }
  if (who.meeting.room() == nullptr) throw ProtocolError(ErrorCode::Internal, "the meeting has no room");
  who.meeting.room()->publish(
      who.participant.id, sdp,
      [this, connectionId = connection.id(), meetingId = who.meeting.id(), participantId = who.participant.id,
       requestId = request.id](std::string answer, std::optional<RoomPort::Error> error) {
        withSeat(connectionId, meetingId, participantId, [&](LiveMeeting&, Participant& p) {
          p.connection->send(error ? errorReply(requestId, *error)
                                   : protocol::makeReply(requestId, {{"sdp", std::move(answer)}}));
        });
        // Every track of this publish was reported before its answer: one file takes them together.
        if (auto it = meetings_.find(meetingId); it != meetings_.end()) recordings_->tracksChanged(*it->second);
      });
  return std::nullopt;
}

std::optional<nlohmann::json> MeetingService::subscribeAnswer(protocol::Connection& connection,
                                                              const protocol::Request& request) {
  Caller who = caller(connection);
  const int64_t version = request.requireInteger("version");
  const std::string& sdp = request.requireString("sdp");
  if (sdp.size() > kMaxAnswerSdpBytes) {
    throw ProtocolError(ErrorCode::TooLarge, "field 'sdp' is longer than " + std::to_string(kMaxAnswerSdpBytes) + " bytes");
  }
  Participant& p = who.participant;
  if (!p.offeredVersion) throw ProtocolError(ErrorCode::NotAllowed, "no subscribe offer has been sent yet");
  if (version != static_cast<int64_t>(*p.offeredVersion)) {
    throw ProtocolError(ErrorCode::NotAllowed, "subscribe offer version " + std::to_string(version) +
                                                   " is stale; the current one is " +
                                                   std::to_string(*p.offeredVersion));
  }
  if (p.offerAnswered) {
    throw ProtocolError(ErrorCode::NotAllowed,
                        "subscribe offer version " + std::to_string(version) + " is answered already");
  }
  p.offerAnswered = true;
  who.meeting.room()->subscriberAnswer(
      p.id, *p.offeredVersion, sdp,
      [this, connectionId = connection.id(), meetingId = who.meeting.id(), participantId = p.id,
       version = *p.offeredVersion, requestId = request.id](std::optional<RoomPort::Error> error) {
        withSeat(connectionId, meetingId, participantId, [&](LiveMeeting&, Participant& seat) {
          // A refused answer may be corrected and sent again for the same offer.
          if (error && seat.offeredVersion == version) seat.offerAnswered = false;
          seat.connection->send(error ? errorReply(requestId, *error) : protocol::makeReply(requestId));
        });
      });
  return std::nullopt;
}

std::optional<nlohmann::json> MeetingService::candidate(protocol::Connection& connection,
                                                        const protocol::Request& request) {
  Caller who = caller(connection);
  const std::string& transportText = request.requireString("transport");
  const auto transport = parseTransport(transportText);
  if (!transport) throw ProtocolError(ErrorCode::BadRequest, "field 'transport' must be \"publish\" or \"subscribe\"");
  std::string candidate = request.requireString("candidate");
  if (candidate.size() > kMaxCandidateBytes) {
    throw ProtocolError(ErrorCode::TooLarge, "field 'candidate' is longer than 1024 bytes");
  }
  // Read for their types only: with BUNDLE every candidate belongs to the one transport.
  request.optionalString("sdpMid");
  request.optionalInteger("sdpMLineIndex");
  // Browsers send the attribute line's value; some libraries keep the "a=" prefix.
  if (candidate.rfind("a=", 0) == 0) candidate.erase(0, 2);
  if (*transport == bridge::TransportKind::Publish && who.participant.role == tokens::Role::Viewer) {
    throw ProtocolError(ErrorCode::NotAllowed, "viewers have no publish connection");
  }
  who.meeting.room()->addRemoteCandidate(
      who.participant.id, *transport, candidate,
      [this, connectionId = connection.id(), meetingId = who.meeting.id(), participantId = who.participant.id,
       requestId = request.id](std::optional<RoomPort::Error> error) {
        withSeat(connectionId, meetingId, participantId, [&](LiveMeeting&, Participant& p) {
          p.connection->send(error ? errorReply(requestId, *error) : protocol::makeReply(requestId));
        });
      });
  return std::nullopt;
}

// ICE restart of the subscribe connection (docs/PROTOCOL.md, "ice.restart"): the bridge takes new
// credentials and sends a subscribe.offer carrying them. The publish connection restarts when the
// client sends `publish` with an offer that has new credentials (what createOffer({iceRestart:true})
// makes), so only the subscribe side needs a request of its own.
std::optional<nlohmann::json> MeetingService::iceRestart(protocol::Connection& connection,
                                                         const protocol::Request& request) {
  Caller who = caller(connection);
  const std::string& name = request.requireString("transport");
  const auto transport = parseTransport(name);
  if (!transport) throw ProtocolError(ErrorCode::BadRequest, "field 'transport' must be \"publish\" or \"subscribe\"");
  if (*transport == bridge::TransportKind::Publish) {
    throw ProtocolError(ErrorCode::BadRequest,
                        "restart the publish connection with a publish offer that has new ICE credentials");
  }
  if (who.meeting.room() == nullptr) throw ProtocolError(ErrorCode::Internal, "the meeting has no room");
  who.meeting.room()->restartSubscribeIce(
      who.participant.id, [this, connectionId = connection.id(), meetingId = who.meeting.id(),
                           participantId = who.participant.id, requestId = request.id](std::optional<RoomPort::Error> error) {
        withSeat(connectionId, meetingId, participantId, [&](LiveMeeting&, Participant& p) {
          p.connection->send(error ? errorReply(requestId, *error) : protocol::makeReply(requestId));
        });
      });
  return std::nullopt;
}

}  // namespace diemcau::signaling::meeting
