// video.size (docs/PROTOCOL.md, "video.size"): how large a participant shows a video, so the
// bridge sends it no simulcast layer taller than that.
#include "signaling/meeting/MeetingService.hpp"
#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::meeting {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

// 8K UHD; anything larger is a client bug, not a screen.
constexpr int64_t kMaxWidth = 7680;
constexpr int64_t kMaxHeight = 4320;

int64_t dimension(const protocol::Request& request, std::string_view field, int64_t max) {
  const int64_t value = request.requireInteger(field);
  if (value < 0 || value > max) {
    throw ProtocolError(ErrorCode::BadRequest,
                        "field '" + std::string(field) + "' must be 0.." + std::to_string(max) + " pixels");
  }
  return value;
}

}  // namespace

std::optional<nlohmann::json> MeetingService::videoSize(protocol::Connection& connection,
                                                        const protocol::Request& request) {
  Caller who = caller(connection);
  const std::string& track = request.requireString("track");
  if (track.empty() || track.size() > 200) throw ProtocolError(ErrorCode::BadRequest, "field 'track' must be a track id");
  // The width is accepted for the client's convenience; layers differ by height at a fixed aspect.
  dimension(request, "width", kMaxWidth);
  const auto height = static_cast<uint16_t>(dimension(request, "height", kMaxHeight));
  if (who.meeting.room() != nullptr) who.meeting.room()->setVideoSize(who.participant.id, track, height);
  return nlohmann::json::object();
}

}  // namespace diemcau::signaling::meeting
