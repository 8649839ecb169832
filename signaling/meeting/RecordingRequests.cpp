// The chair's recording switch: recording.start, recording.stop (docs/PROTOCOL.md, "Recording").
// Only hosts may use them; everyone hears recording.changed, and the log keeps who asked ("by").

#include "signaling/meeting/MeetingService.hpp"
#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::meeting {

using protocol::ErrorCode;
using protocol::ProtocolError;

std::optional<nlohmann::json> MeetingService::recordingStart(protocol::Connection& connection,
                                                             const protocol::Request& /*request*/) {
  Caller who = chair(connection);
  if (!recordings_->available()) {
    throw ProtocolError(ErrorCode::NotAllowed,
                        "this server does not record meetings (it has no data directory)");
  }
  // A second start while recording is not an error: the chair's button may race another chair's.
  recordings_->start(who.meeting, /*hostsOnly=*/false, who.participant.id);
  return nlohmann::json{{"recording", true}};
}

std::optional<nlohmann::json> MeetingService::recordingStop(protocol::Connection& connection,
                                                            const protocol::Request& /*request*/) {
  Caller who = chair(connection);
  recordings_->stop(who.meeting, who.participant.id);
  return nlohmann::json{{"recording", false}};
}

}  // namespace diemcau::signaling::meeting
