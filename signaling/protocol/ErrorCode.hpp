#pragma once

#include <string_view>

namespace diemcau::signaling::protocol {

/// Error codes of the /ws envelope (docs/PROTOCOL.md). Clients switch on these strings.
enum class ErrorCode {
  BadJson,       // the message is not JSON
  BadRequest,    // a field is missing or has the wrong type; the message names it
  UnknownType,   // no service handles this type
  TooLarge,      // the message or a field exceeds a limit
  NotAllowed,    // valid, but not in the current state (e.g. publish before join)
  Unauthorized,  // token missing, expired or revoked
  NotFound,      // the named session, participant or track does not exist
  SdpRejected,   // the offer cannot be served; the message says why
  Internal,      // the server failed; details are in the server log only
};

std::string_view toString(ErrorCode code);

}  // namespace diemcau::signaling::protocol
