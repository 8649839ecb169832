#include "media/transport/SdpTransport.hpp"

#include "media/sdp/SdpError.hpp"

namespace diemcau::media {

namespace {

const sdp::MediaSection* firstTransportSection(const sdp::SessionDescription& remote) {
  for (const auto& section : remote.media) {
    if (!section.isRejected()) return &section;
  }
  return nullptr;
}

}  // namespace

WebRtcTransport::RemoteParams remoteTransportParams(const sdp::SessionDescription& remote, bool remoteIsOffer) {
  const sdp::MediaSection* section = firstTransportSection(remote);
  WebRtcTransport::RemoteParams params;
  params.iceUfrag = !remote.iceUfrag.empty() || !section ? remote.iceUfrag : section->iceUfrag;
  params.icePwd = !remote.icePwd.empty() || !section ? remote.icePwd : section->icePwd;
  if (params.iceUfrag.empty() || params.icePwd.empty()) {
    throw sdp::SdpError(sdp::SdpErrorCode::NoIceCredentials, "the description has no ice-ufrag/ice-pwd");
  }
  const auto& fingerprint = remote.fingerprint ? remote.fingerprint : section ? section->fingerprint : std::nullopt;
  if (!fingerprint) {
    throw sdp::SdpError(sdp::SdpErrorCode::NoFingerprint, "the description has no DTLS fingerprint");
  }
  params.fingerprintAlgorithm = fingerprint->algorithm;
  params.fingerprint = fingerprint->value;

  const auto setup = remote.setup ? remote.setup : section ? section->setup : std::nullopt;
  // RFC 5763 §5: an offer says actpass (we pick passive: the peer starts the handshake as soon as
  // ICE works, one round trip sooner); an answer's active makes us the server, passive the client.
  const sdp::SetupRole role = setup.value_or(remoteIsOffer ? sdp::SetupRole::ActPass : sdp::SetupRole::Active);
  params.localDtlsRole = role == sdp::SetupRole::Passive ? DtlsRole::Client : DtlsRole::Server;
  // a=ice-lite is a session-level attribute only (RFC 8839 §5.3).
  params.iceLite = remote.iceLite;
  return params;
}

sdp::LocalTransportParams localTransportParams(const WebRtcTransport& transport, const DtlsCertificate& cert) {
  sdp::LocalTransportParams local;
  local.ufrag = transport.localUfrag();
  local.pwd = transport.localPwd();
  local.fingerprint = {std::string(DtlsCertificate::fingerprintAlgorithm()), cert.fingerprint()};
  local.candidates = transport.localCandidates();
  // RFC 8839 §5.3: a lite agent says so at session level, and the peer then takes the controlling role.
  local.iceLite = transport.iceLite();
  local.endOfCandidates = true;
  return local;
}

}  // namespace diemcau::media
