#include "signaling/meeting/RoomPort.hpp"

namespace diemcau::signaling::meeting {

protocol::ErrorCode errorCodeFromBridge(std::string_view code) {
  using protocol::ErrorCode;
  if (code == "sdp_rejected") return ErrorCode::SdpRejected;
  if (code == "not_found") return ErrorCode::NotFound;
  if (code == "not_allowed") return ErrorCode::NotAllowed;
  if (code == "bad_request") return ErrorCode::BadRequest;
  if (code == "too_large") return ErrorCode::TooLarge;
  return ErrorCode::Internal;
}

}  // namespace diemcau::signaling::meeting
