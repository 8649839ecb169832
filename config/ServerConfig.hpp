#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::config {

/// An address the HTTP server binds to. IPv6 hosts are stored without brackets.
struct ListenAddress {
  std::string host;
  uint16_t port = 0;

  bool isIpv6() const { return host.find(':') != std::string::npos; }
  /// "127.0.0.1:8080" or "[::1]:8080".
  std::string toString() const;
};

/// An inclusive UDP/TCP port range for ICE candidates.
struct PortRange {
  uint16_t first = 0;
  uint16_t last = 0;

  std::size_t size() const { return static_cast<std::size_t>(last) - first + 1; }
};

/// The server configuration, parsed once at start-up and passed by const reference from then on.
struct ServerConfig {
  std::optional<std::filesystem::path> configFile;
  ListenAddress listen;
  /// Base URL join links use, always ending in '/'.
  std::string publicUrl;
  std::filesystem::path dataDir;
  std::optional<std::filesystem::path> tlsCert;
  std::optional<std::filesystem::path> tlsKey;
  bool tlsSelfSigned = false;
  /// Seed a demo district into an empty store at start-up.
  bool demo = false;
  std::vector<std::string> mediaAddresses;
  std::string mediaAnnouncedAddress;
  PortRange mediaPorts;
  /// ICE-lite on one UDP socket per media worker instead of a libnice agent and socket per
  /// connection (docs/ARCHITECTURE.md); worker i listens on mediaIceLitePort + i (0: ephemeral).
  bool mediaIceLite = false;
  uint16_t mediaIceLitePort = 40000;
  /// Retransmission on weak links: the bridge answers NACKs from its packet history and NACKs
  /// publishers for what it lost (docs/ARCHITECTURE.md). Off: no retransmission at all.
  bool nack = true;
  unsigned workers = 1;
  /// One of trace, debug, info, warn, error, critical, off.
  std::string logLevel;
  std::filesystem::path staticDir;
  std::size_t wsMaxMessage = 0;
  std::size_t maxConnections = 0;
  /// The most sites one meeting may invite (admin API); each present site holds a WebSocket.
  std::size_t meetingMaxSites = 500;
  /// Audio last-N (K loudest speakers forwarded besides hosts and floor; 0 = all) and last-N
  /// video (N most recent dominant speakers shown to the sites; 0 = off).
  unsigned audioLastN = 3;
  unsigned videoLastN = 2;
  /// Seconds a site whose link dropped keeps its seat (0 = it leaves at once).
  unsigned resumeWindowSeconds = 30;
  /// Seconds of silence on a media connection before it counts as lost.
  unsigned iceConsentTimeoutSeconds = 10;
  std::filesystem::path adminKeyFile;

  /// True when the server speaks HTTPS/WSS (a certificate pair or a self-signed one).
  bool tlsEnabled() const { return tlsSelfSigned || tlsCert.has_value(); }
};

}  // namespace diemcau::config
