#pragma once

#include <string_view>

namespace diemcau::media {

/** Outcome of a data-plane SRTP/SRTCP operation; the data plane never throws. */
enum class SrtpResult {
  Ok,
  ReplayOld,       ///< older than the replay window: drop
  ReplayFail,      ///< already seen inside the replay window: drop
  AuthFail,        ///< authentication tag did not verify: drop (tampered or wrong key)
  BufferTooSmall,  ///< the caller's buffer cannot hold the trailer, or the packet is too short/long
  Error,           ///< any other libsrtp failure
};

constexpr std::string_view toString(SrtpResult result) noexcept {
  switch (result) {
    case SrtpResult::Ok: return "ok";
    case SrtpResult::ReplayOld: return "replay-old";
    case SrtpResult::ReplayFail: return "replay-fail";
    case SrtpResult::AuthFail: return "auth-fail";
    case SrtpResult::BufferTooSmall: return "buffer-too-small";
    case SrtpResult::Error: return "error";
  }
  return "unknown";
}

}  // namespace diemcau::media
