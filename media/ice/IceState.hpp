#pragma once

#include <cstdint>
#include <string_view>

namespace diemcau::media {

/// The transport-level ICE state the layers above care about (a reduction of RFC 8445 states).
enum class IceState : uint8_t {
  New,        // created, gathering or waiting for remote candidates
  Checking,   // connectivity checks running
  Connected,  // a selected pair carries data
  Failed,     // checks failed or consent lost (RFC 7675); only restart() recovers
  Closed,     // close() was called
};

constexpr std::string_view toString(IceState state) {
  switch (state) {
    case IceState::New: return "new";
    case IceState::Checking: return "checking";
    case IceState::Connected: return "connected";
    case IceState::Failed: return "failed";
    case IceState::Closed: return "closed";
  }
  return "unknown";
}

}  // namespace diemcau::media
