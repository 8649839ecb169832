#include "media/sdp/TransportChecks.hpp"

#include <string>

#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpText.hpp"

namespace diemcau::media::sdp {

namespace {

std::string sectionName(const MediaSection& section) {
  return "section mid " + (section.mid.empty() ? std::string("(none)") : section.mid.substr(0, 32));
}

}  // namespace

void checkRemoteTransport(const SessionDescription& remote, const MediaSection& section) {
  // RFC 8839 section 5.4: ufrag 4-256 and pwd 22-256 characters.
  const auto ufrag = remote.effectiveUfrag(section);
  const auto pwd = remote.effectivePwd(section);
  if (ufrag.size() < 4 || ufrag.size() > 256 || pwd.size() < 22 || pwd.size() > 256) {
    throw SdpError(SdpErrorCode::NoIceCredentials,
                   sectionName(section) + " has no valid a=ice-ufrag (4-256 chars) and a=ice-pwd (22-256 chars)");
  }
  const Fingerprint* fingerprint = remote.effectiveFingerprint(section);
  if (fingerprint == nullptr || fingerprint->value.empty()) {
    throw SdpError(SdpErrorCode::NoFingerprint, sectionName(section) + " has no a=fingerprint for DTLS");
  }
  // A SHA-256 digest is 32 bytes: 64 hex digits and 31 colons.
  if (fingerprint->algorithm != "sha-256" || fingerprint->value.size() != 95) {
    throw SdpError(SdpErrorCode::UnsupportedFingerprint,
                   "the DTLS fingerprint must be a sha-256 digest, got " + fingerprint->algorithm.substr(0, 32));
  }
  // RFC 8843 section 9.3 requires rtcp-mux for every RTP section in a BUNDLE group.
  if (!section.rtcpMux && !section.rtcpMuxOnly) {
    throw SdpError(SdpErrorCode::NoRtcpMux, sectionName(section) + " does not offer a=rtcp-mux");
  }
}

void writeLocalTransport(MediaSection& section, const LocalTransportParams& local, SetupRole role) {
  section.iceUfrag = local.ufrag;
  section.icePwd = local.pwd;
  section.fingerprint = local.fingerprint;
  section.setup = role;
}

void writeLocalCandidates(MediaSection& section, const LocalTransportParams& local) {
  for (std::string_view candidate : local.candidates) {
    candidate = text::trim(candidate);
    if (candidate.substr(0, 2) == "a=") candidate.remove_prefix(2);
    if (candidate.substr(0, 10) == "candidate:") candidate.remove_prefix(10);
    // A line break would let a candidate string add lines of its own to the description.
    if (candidate.find_first_of("\r\n") != std::string_view::npos) continue;
    if (!candidate.empty()) section.candidates.emplace_back(candidate);
  }
  section.endOfCandidates = local.endOfCandidates;
}

}  // namespace diemcau::media::sdp
