#pragma once

#include <string>

#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// Serialises the model with GstSDP: RFC 8866 field order, CRLF line ends. Session-level ICE and
/// DTLS values are written only when set; section-level ones in every section that carries them.
std::string writeSdp(const SessionDescription& session);

}  // namespace diemcau::media::sdp
