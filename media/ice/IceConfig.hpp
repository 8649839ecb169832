#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::media {

struct IceConfig {
  /// IPs to bind. libnice skips loopback when it enumerates interfaces, so loopback (tests, a
  /// bridge behind a local TURN) must be listed here. Empty = every non-loopback interface.
  std::vector<std::string> localAddresses;
  /// Media port range for host candidates (0 = any).
  uint16_t portMin = 0;
  uint16_t portMax = 0;
  /// Public address written into host candidates instead of the bound one (NAT 1:1, e.g. a
  /// cloud VM). Only candidates of the same address family are rewritten.
  std::optional<std::string> announcedAddress;
  bool controlling = false;
  /// Also gather passive ICE-TCP candidates (RFC 6544) for sites where UDP is blocked.
  bool iceTcp = false;
  /// Nothing authenticated from the peer for longer than this means it is gone: its consent
  /// (RFC 7675) is withdrawn and the link fails (0 = RFC 7675's 30 s). Both ICE modes count the
  /// SRTP/SRTCP that authenticated and the DTLS handshake's completion (IceLink::noteAuthenticated),
  /// the lite mode also the peer's checks that passed MESSAGE-INTEGRITY; other datagrams, which
  /// anyone spoofing the peer's address could send, do not count.
  std::chrono::seconds consentTimeout{10};
  /// consentTimeout, or RFC 7675's 30 s (§5.1) where it is 0.
  std::chrono::seconds effectiveConsentTimeout() const {
    return consentTimeout.count() > 0 ? consentTimeout : std::chrono::seconds{30};
  }
  /// SO_RCVBUF asked for the selected pair's socket (0 = the system default, rmem_default). A
  /// receiver that the scheduler holds off for a while loses whatever its socket cannot queue
  /// meanwhile; the kernel caps the value at net.core.rmem_max.
  int receiveBufferBytes = 0;
  /// ICE-lite (RFC 8445 §2.5) on one shared UDP socket per media worker (UdpMux) instead of a
  /// libnice agent and socket per transport: worker i listens on litePort + i (litePort 0 = an
  /// ephemeral port per worker). UDP only; the peer must be a full ICE agent (browsers are).
  bool lite = false;
  uint16_t litePort = 0;
};

}  // namespace diemcau::media
