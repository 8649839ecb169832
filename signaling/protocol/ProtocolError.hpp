#pragma once

#include <stdexcept>
#include <string>

#include "signaling/protocol/ErrorCode.hpp"

namespace diemcau::signaling::protocol {

/// Thrown by a service to answer a request with an error reply. The message is one sentence meant for
/// the client ("field 'sdp' must be a string"), so it must not carry internal details.
class ProtocolError : public std::runtime_error {
 public:
  ProtocolError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}

  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace diemcau::signaling::protocol
