#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace diemcau::media {

/**
 * The SDP `candidate` attribute values (RFC 8839 §5.1) an ICE-lite transport deals with, without
 * a libnice agent: it writes its own host candidates and only checks the peer's for shape (a lite
 * agent learns the peer's address from its checks, RFC 8445 §2.5).
 *
 * Strings carry no "a=" prefix and no line ending ("candidate:1 1 udp ...").
 */
class CandidateLine {
 public:
  /// Longest attribute accepted from the network; real ones are under 200 bytes.
  static constexpr size_t kMaxLength = 512;

  /// "candidate:<index + 1> 1 udp <priority> <ip> <port> typ host", the priority of a host
  /// candidate whose local preference falls with `index`.
  static std::string host(size_t index, const std::string& ip, uint16_t port);
  /// The priority host() writes for `index` (RFC 8445 §5.1.2.1).
  static uint32_t hostPriority(size_t index);

  /// foundation, component, transport (udp/tcp), priority, address (an IP or an mDNS name), port
  /// ≤ 65535, "typ", a known type. Bounded: never reads past the view, never allocates.
  static bool wellFormed(std::string_view sdpCandidate);

  /// Where a client checks a candidate: its IP (numeric, not an mDNS name), port and priority.
  struct UdpTarget {
    std::string ip;
    uint16_t port = 0;
    uint32_t priority = 0;
  };
  /// A well-formed UDP candidate of component 1, of type host or srflx (what an ICE-lite bridge
  /// announces); nullopt for anything else (TCP, relay, another component, a name).
  static std::optional<UdpTarget> udpTarget(std::string_view sdpCandidate);
};

}  // namespace diemcau::media
