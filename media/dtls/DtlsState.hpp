#pragma once

#include <string_view>

namespace diemcau::media {

/** Life of a DtlsTransport. Failed and Closed are final. */
enum class DtlsState {
  New,         ///< constructed, start() not called yet
  Connecting,  ///< handshake in progress
  Connected,   ///< handshake done, peer fingerprint verified, SRTP keys exported
  Failed,      ///< handshake error, fingerprint mismatch or handshake timeout
  Closed,      ///< close_notify sent or received
};

constexpr std::string_view toString(DtlsState state) noexcept {
  switch (state) {
    case DtlsState::New: return "new";
    case DtlsState::Connecting: return "connecting";
    case DtlsState::Connected: return "connected";
    case DtlsState::Failed: return "failed";
    case DtlsState::Closed: return "closed";
  }
  return "unknown";
}

}  // namespace diemcau::media
