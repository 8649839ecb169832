#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace diemcau::media::sdp {

/// Machine-readable reason an SDP was refused; the signaling layer sends codeName() to the peer.
enum class SdpErrorCode {
  ParseError,
  TooLarge,
  NoBundle,
  NoRtcpMux,
  NoFingerprint,
  UnsupportedFingerprint,
  NoIceCredentials,
  NoCommonCodec,
  NoMedia,
  UnknownMid,
  InvalidAnswer,
};

/// Stable snake_case name of a code ("no_common_codec").
std::string_view sdpErrorCodeName(SdpErrorCode code) noexcept;

/// Control-plane error for SDP parsing and negotiation: a code plus a sentence a human can act on.
class SdpError : public std::runtime_error {
 public:
  SdpError(SdpErrorCode code, const std::string& sentence);

  SdpErrorCode code() const noexcept { return code_; }
  std::string_view codeName() const noexcept { return sdpErrorCodeName(code_); }

 private:
  SdpErrorCode code_;
};

}  // namespace diemcau::media::sdp
