#pragma once

#include <cstddef>
#include <string_view>

#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// Input bounds: an offer from a browser is 3-10 KiB with a handful of m-lines.
inline constexpr size_t kMaxSdpBytes = 64 * 1024;
inline constexpr size_t kMaxMediaSections = 32;

/// Parses an SDP offer or answer (LF or CRLF lines) with GstSDP into the model.
/// Throws SdpError: too_large past the bounds above, parse_error for anything that is not
/// well-formed SDP (RFC 8866 section 5) or carries a malformed attribute we rely on.
SessionDescription parseSdp(std::string_view text);

}  // namespace diemcau::media::sdp
