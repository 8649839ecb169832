#pragma once

#include "media/ice/NiceAgentPtr.hpp"

#include <nice/agent.h>

#include <optional>
#include <string>
#include <string_view>

namespace diemcau::media {

/**
 * SDP `candidate` attribute values (RFC 8839 §5.1) read and written with libnice's own grammar,
 * so what we announce is exactly what libnice parses back.
 *
 * Strings on our side carry no "a=" prefix and no line ending ("candidate:1 1 UDP ...").
 */
class IceCandidateSdp {
 public:
  /// Longest attribute accepted from the network; real ones are under 200 bytes.
  static constexpr size_t kMaxLength = 512;

  /// Writes `candidate`; a host candidate whose family matches `announced` gets that address
  /// (NAT 1:1) with its own port. Returns an empty string if libnice cannot write it.
  static std::string write(NiceAgent* agent, const NiceCandidate& candidate, const NiceAddress* announced);

  /// Parses one remote candidate for `streamId`. Never throws; nullptr when malformed, too long,
  /// or naming a component other than 1 (BUNDLE + rtcp-mux: one component only).
  static NiceCandidatePtr parse(NiceAgent* agent, guint streamId, std::string_view sdp);
};

}  // namespace diemcau::media
