#include "signaling/protocol/ErrorCode.hpp"

namespace diemcau::signaling::protocol {

std::string_view toString(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadJson: return "bad_json";
    case ErrorCode::BadRequest: return "bad_request";
    case ErrorCode::UnknownType: return "unknown_type";
    case ErrorCode::TooLarge: return "too_large";
    case ErrorCode::NotAllowed: return "not_allowed";
    case ErrorCode::Unauthorized: return "unauthorized";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::SdpRejected: return "sdp_rejected";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

}  // namespace diemcau::signaling::protocol
