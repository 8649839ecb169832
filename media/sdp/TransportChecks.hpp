#pragma once

#include "media/sdp/LocalTransportParams.hpp"
#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// Checks the remote ICE and DTLS parameters that apply to `section` (its own or the session's):
/// throws no_ice_credentials, no_fingerprint, unsupported_fingerprint, no_rtcp_mux.
void checkRemoteTransport(const SessionDescription& remote, const MediaSection& section);

/// Writes our ICE credentials, fingerprint and DTLS role into a section we send.
void writeLocalTransport(MediaSection& section, const LocalTransportParams& local, SetupRole role);

/// Adds the local candidates (normalised to the attribute value) and end-of-candidates.
void writeLocalCandidates(MediaSection& section, const LocalTransportParams& local);

}  // namespace diemcau::media::sdp
