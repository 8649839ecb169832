#pragma once
// Glue between an SDP description and a WebRtcTransport: what the remote side's transport
// attributes say, and what we write for ours. With BUNDLE every section shares one transport, so
// the attributes come from the session level or, failing that, the first bundled section.
#include "media/sdp/LocalTransportParams.hpp"
#include "media/sdp/SessionDescription.hpp"
#include "media/transport/WebRtcTransport.hpp"

namespace diemcau::media {

/// Remote ICE credentials, fingerprint, our DTLS role as decided by the remote `a=setup`
/// (RFC 5763 §5: we are the server when the offerer is `active` or `actpass`), and whether the
/// remote side is ICE-lite (then we must be the controlling agent).
/// Throws sdp::SdpError when credentials or fingerprint are missing.
WebRtcTransport::RemoteParams remoteTransportParams(const sdp::SessionDescription& remote, bool remoteIsOffer);

/// Our side's ICE credentials, fingerprint, the candidates gathered so far, and a=ice-lite when the
/// transport runs ICE-lite on its worker's shared socket.
sdp::LocalTransportParams localTransportParams(const WebRtcTransport& transport, const DtlsCertificate& cert);

}  // namespace diemcau::media
