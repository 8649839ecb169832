#include "media/sdp/SdpError.hpp"

namespace diemcau::media::sdp {

std::string_view sdpErrorCodeName(SdpErrorCode code) noexcept {
  switch (code) {
    case SdpErrorCode::ParseError: return "parse_error";
    case SdpErrorCode::TooLarge: return "too_large";
    case SdpErrorCode::NoBundle: return "no_bundle";
    case SdpErrorCode::NoRtcpMux: return "no_rtcp_mux";
    case SdpErrorCode::NoFingerprint: return "no_fingerprint";
    case SdpErrorCode::UnsupportedFingerprint: return "unsupported_fingerprint";
    case SdpErrorCode::NoIceCredentials: return "no_ice_credentials";
    case SdpErrorCode::NoCommonCodec: return "no_common_codec";
    case SdpErrorCode::NoMedia: return "no_media";
    case SdpErrorCode::UnknownMid: return "unknown_mid";
    case SdpErrorCode::InvalidAnswer: return "invalid_answer";
  }
  return "unknown";
}

SdpError::SdpError(SdpErrorCode code, const std::string& sentence) : std::runtime_error(sentence), code_(code) {}

}  // namespace diemcau::media::sdp
