// hand.raise, hand.lower and chat (docs/PROTOCOL.md, "Meetings: sites").
#include "signaling/meeting/MeetingService.hpp"
#include "signaling/meeting/UtcMillis.hpp"
#include "signaling/meeting/WireNames.hpp"
#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::meeting {

using protocol::ErrorCode;
using protocol::ProtocolError;

void MeetingService::setHand(Caller& who, bool raised) {
  // A hall chairs the meeting rather than asking for the floor; viewers only watch.
  if (who.participant.role != tokens::Role::Site) {
    throw ProtocolError(ErrorCode::NotAllowed, "only sites raise and lower a hand", "role_forbidden");
  }
  if (who.participant.handRaised == raised) return;
  who.participant.handRaised = raised;
  who.meeting.announce("hand.changed", {{"participant", who.participant.id}, {"raised", raised}});
}

std::optional<nlohmann::json> MeetingService::handRaise(protocol::Connection& connection,
                                                        const protocol::Request& /*request*/) {
  Caller who = caller(connection);
  setHand(who, true);
  return nlohmann::json::object();
}

std::optional<nlohmann::json> MeetingService::handLower(protocol::Connection& connection,
                                                        const protocol::Request& /*request*/) {
  Caller who = caller(connection);
  setHand(who, false);
  return nlohmann::json::object();
}

std::optional<nlohmann::json> MeetingService::chat(protocol::Connection& connection,
                                                   const protocol::Request& request) {
  Caller who = caller(connection);
  if (who.participant.role == tokens::Role::Viewer) {
    throw ProtocolError(ErrorCode::NotAllowed, "viewers do not chat", "role_forbidden");
  }
  const std::string& text = request.requireString("text");
  // Bounded before counting, so a huge field costs no more than the limit.
  if (text.size() > kMaxChatChars * 4) {
    throw ProtocolError(ErrorCode::TooLarge, "field 'text' is longer than 2000 characters");
  }
  const auto chars = countUtf8(text);
  if (!chars) throw ProtocolError(ErrorCode::BadRequest, "field 'text' is not valid UTF-8");
  if (*chars == 0) throw ProtocolError(ErrorCode::BadRequest, "field 'text' must not be empty");
  if (*chars > kMaxChatChars) throw ProtocolError(ErrorCode::TooLarge, "field 'text' is longer than 2000 characters");
  who.meeting.announce("chat",
                       {{"from", who.participant.id}, {"text", text}, {"at", formatUtcMillis(options_.now())}});
  return nlohmann::json::object();
}

}  // namespace diemcau::signaling::meeting
