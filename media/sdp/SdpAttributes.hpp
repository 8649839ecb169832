#pragma once

#include <string_view>

#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// Applies one session-level a= line to `session`. Unknown attributes are ignored
/// (RFC 8866 section 5.13); a known attribute with a malformed value throws SdpError(parse_error).
void applySessionAttribute(SessionDescription& session, std::string_view key, std::string_view value);

/// Applies one media-level a= line to `section`; the codecs must already hold the m-line formats.
void applyMediaAttribute(MediaSection& section, std::string_view key, std::string_view value);

/// Links each rtx payload type to the codec named by its apt= (RFC 4588 section 8.6).
void linkRtxCodecs(MediaSection& section);

/// Parses "sha-256 AB:CD:..." (RFC 8122 section 5); throws SdpError(parse_error).
Fingerprint parseFingerprint(std::string_view value);

}  // namespace diemcau::media::sdp
