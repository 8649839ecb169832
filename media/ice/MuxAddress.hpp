#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

namespace diemcau::media {

/**
 * A remote UDP address as a compact, hashable value: family, port and the 4 or 16 address bytes.
 * UdpMux keys its address → transport map on it, so the lookup per datagram hashes 20 bytes and
 * allocates nothing. IPv4-mapped IPv6 addresses stay IPv6: the reply leaves on the socket the
 * datagram came in on, so the key only has to be stable for one socket's view.
 */
struct MuxAddress {
  uint8_t family = 0;  // 4 or 6, 0 = none
  uint16_t port = 0;   // host order
  std::array<uint8_t, 16> bytes{};

  friend bool operator==(const MuxAddress&, const MuxAddress&) = default;

  /// Reads `from`; nullopt for a family other than AF_INET/AF_INET6 or a length too short for it.
  static std::optional<MuxAddress> from(const sockaddr* address, socklen_t length) {
    if (address == nullptr || length < static_cast<socklen_t>(sizeof(sa_family_t))) return std::nullopt;
    MuxAddress key;
    if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
      sockaddr_in in{};
      std::memcpy(&in, address, sizeof in);
      key.family = 4;
      key.port = ntohs(in.sin_port);
      std::memcpy(key.bytes.data(), &in.sin_addr, 4);
      return key;
    }
    if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
      sockaddr_in6 in6{};
      std::memcpy(&in6, address, sizeof in6);
      key.family = 6;
      key.port = ntohs(in6.sin6_port);
      std::memcpy(key.bytes.data(), &in6.sin6_addr, 16);
      return key;
    }
    return std::nullopt;
  }

  /// Writes the socket address; returns its length (0 when the key is empty).
  socklen_t toSockaddr(sockaddr_storage& out) const {
    std::memset(&out, 0, sizeof out);
    if (family == 4) {
      auto* in = reinterpret_cast<sockaddr_in*>(&out);
      in->sin_family = AF_INET;
      in->sin_port = htons(port);
      std::memcpy(&in->sin_addr, bytes.data(), 4);
      return sizeof(sockaddr_in);
    }
    if (family == 6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&out);
      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons(port);
      std::memcpy(&in6->sin6_addr, bytes.data(), 16);
      return sizeof(sockaddr_in6);
    }
    return 0;
  }
};

struct MuxAddressHash {
  size_t operator()(const MuxAddress& key) const noexcept {
    // FNV-1a over the significant bytes: cheap, and the port spreads clients behind one NAT.
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](uint8_t b) {
      h ^= b;
      h *= 1099511628211ull;
    };
    mix(key.family);
    mix(static_cast<uint8_t>(key.port >> 8));
    mix(static_cast<uint8_t>(key.port));
    const size_t n = key.family == 4 ? 4 : 16;
    for (size_t i = 0; i < n; ++i) mix(key.bytes[i]);
    return static_cast<size_t>(h);
  }
};

}  // namespace diemcau::media
