#pragma once

#include "media/sdp/Answer.hpp"
#include "media/sdp/LocalTransportParams.hpp"
#include "media/sdp/MediaCapabilities.hpp"
#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// Answers a remote offer (RFC 3264 section 6, RFC 8829 section 5.3.1):
/// - audio/video sections in the BUNDLE group get the first offered codec we support (plus its
///   RTX), keeping the offer's payload types and extension ids; other sections are rejected (port 0);
/// - the direction mirrors the offer's, rids and a=simulcast are mirrored send <-> recv;
/// - DTLS role passive to actpass/active, active to passive.
/// Throws SdpError: no_media, no_bundle, no_rtcp_mux, no_fingerprint, unsupported_fingerprint,
/// no_ice_credentials, no_common_codec.
Answer negotiateAnswer(const SessionDescription& offer, const LocalTransportParams& local,
                       const MediaCapabilities& caps);

}  // namespace diemcau::media::sdp
