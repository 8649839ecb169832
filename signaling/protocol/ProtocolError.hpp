#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "signaling/protocol/ErrorCode.hpp"

namespace diemcau::signaling::protocol {

/// Thrown by a service to answer a request with an error reply. The message is one sentence meant for
/// the client ("field 'sdp' must be a string"), so it must not carry internal details. A reason, when
/// given, is a stable snake_case word a client can branch on where the code alone names several cases
/// (docs/PROTOCOL.md, "Envelope"); the sentence stays free to change.
class ProtocolError : public std::runtime_error {
 public:
  ProtocolError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ProtocolError(ErrorCode code, const std::string& message, std::string reason)
      : std::runtime_error(message), code_(code), reason_(std::move(reason)) {}

  ErrorCode code() const noexcept { return code_; }
  /// Empty when the error has no reason field.
  const std::string& reason() const noexcept { return reason_; }

 private:
  ErrorCode code_;
  std::string reason_;
};

}  // namespace diemcau::signaling::protocol
