#pragma once

#include <cstddef>
#include <string_view>

#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// Input bounds. A publish offer is 3-10 KiB with a handful of m-lines, but a subscriber connection has one
/// section per track it receives: the hall of a 150-site meeting receives about 300 (0.5-1 KiB each in a
/// browser's answer), so the parser admits that with room to spare and no more.
inline constexpr size_t kMaxSdpBytes = 1024 * 1024;
inline constexpr size_t kMaxMediaSections = 512;

/// Parses an SDP offer or answer (LF or CRLF lines) with GstSDP into the model.
/// Throws SdpError: too_large past the bounds above, parse_error for anything that is not
/// well-formed SDP (RFC 8866 section 5) or carries a malformed attribute we rely on.
SessionDescription parseSdp(std::string_view text);

}  // namespace diemcau::media::sdp
