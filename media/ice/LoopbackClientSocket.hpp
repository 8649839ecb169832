#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace diemcau::media {

/**
 * One UDP socket that stands for many clients on the loopback interface, each with a loopback
 * address of its own: 127.<network>.x.y, slot s being x.y = s + 1 (127.<network>.0.1 up to
 * 127.<network>.255.254). A peer that tells its clients apart by source address (an ICE-lite
 * bridge) sees one client per address, as it would see one per host, while the client side reads
 * every client's datagrams with one recvmmsg.
 *
 * The socket is bound to the wildcard address and to the loopback device (SO_BINDTODEVICE "lo"):
 * nothing from another interface reaches it. IP_PKTINFO tells, per datagram, which address it was
 * sent to (slotOf) and chooses the source address of what a client sends (sendFrom). Loopback
 * routes the whole 127.0.0.0/8, so no address has to be configured.
 */
class LoopbackClientSocket {
 public:
  static constexpr uint32_t kSlots = 65534;
  /// Room for the IP_PKTINFO control message of one received datagram.
  static constexpr size_t kPacketInfoSpace = CMSG_SPACE(sizeof(in_pktinfo));

  /// Throws std::invalid_argument for network 0 (127.0.x.y holds the usual 127.0.0.1) and
  /// std::runtime_error when the socket cannot be created, tied to the loopback device (kernels
  /// before 5.7 allow that only with CAP_NET_RAW) or bound.
  LoopbackClientSocket(uint8_t network, int bufferBytes);
  ~LoopbackClientSocket();
  LoopbackClientSocket(const LoopbackClientSocket&) = delete;
  LoopbackClientSocket& operator=(const LoopbackClientSocket&) = delete;

  int fd() const { return fd_; }
  uint16_t port() const { return port_; }
  uint8_t network() const { return network_; }

  /// The address of a slot (< kSlots), in network byte order, and as text.
  in_addr address(uint32_t slot) const;
  std::string addressText(uint32_t slot) const;
  /// The slot whose address a received datagram was sent to, read from its IP_PKTINFO control
  /// message; nullopt without one or for an address outside this socket's range.
  std::optional<uint32_t> slotOf(const msghdr& received) const;
  /// Sends one datagram from the slot's address. Returns what sendmsg returns.
  ssize_t sendFrom(uint32_t slot, const uint8_t* data, size_t len, const sockaddr* to, socklen_t toLength) const;

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  uint8_t network_ = 0;
};

}  // namespace diemcau::media
