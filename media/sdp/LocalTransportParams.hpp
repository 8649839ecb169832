#pragma once

#include <string>
#include <vector>

#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// The bridge's side of ICE and DTLS for one connection, written into the descriptions it makes.
struct LocalTransportParams {
  std::string ufrag;
  std::string pwd;
  Fingerprint fingerprint;  // of the DTLS certificate; algorithm "sha-256"
  /// SDP candidate strings, with or without the "candidate:" (or "a=candidate:") prefix;
  /// written into the first accepted m-section, which carries the BUNDLE transport.
  std::vector<std::string> candidates;
  bool iceLite = false;
  bool endOfCandidates = false;  // RFC 8840 section 8.2: no more candidates will trickle
};

}  // namespace diemcau::media::sdp
