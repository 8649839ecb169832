#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace diemcau::media {

/**
 * One non-blocking UDP socket of a UdpMux (RAII over the file descriptor).
 */
/// Asks for `bytes` of receive and send buffer on a UDP socket. The kernel caps SO_RCVBUF at
/// net.core.rmem_max; with CAP_NET_ADMIN the FORCE variants go past it. Best effort: a smaller buffer
/// only means more loss in a stall.
void sizeSocketBuffers(int fd, int bytes);

/// Sets the Don't Fragment bit on every IPv4 datagram the socket sends (IP_PMTUDISC_PROBE; for an
/// IPv6 socket IPV6_PMTUDISC_PROBE, which keeps the kernel from fragmenting). Media and DTLS
/// datagrams are kept under 1,250 bytes, so nothing is ever fragmented; and an IPv4 datagram with DF
/// carries IP ID 0, where without it the kernel hashes the destination into a shared table of ID
/// counters for each datagram (a cache miss per receiver in a fan-out). PROBE rather than DO: a
/// path MTU learned from ICMP never turns a send into EMSGSIZE. Best effort.
void setDontFragment(int fd, int family);

/// Datagrams the kernel dropped for this socket since it was opened, mostly on a full receive buffer
/// (SO_MEMINFO's drop count; the same figure `ss -m` prints as d<N>). 0 when it cannot be read.
/// One syscall: for reports, not for the packet path.
uint64_t receiveDrops(int fd);

class MuxSocket {
 public:
  /// Binds `ip` (IPv4 or IPv6, v6-only) on `port` (0 = ephemeral) and asks for `bufferBytes` of
  /// receive and send buffer. Throws std::invalid_argument on a bad address and
  /// std::runtime_error when the socket cannot be created or bound.
  static MuxSocket bind(const std::string& ip, uint16_t port, int bufferBytes);
  /// The addresses of the up, non-loopback IPv4 interfaces (what a wildcard socket serves).
  static std::vector<std::string> interfaceAddresses();

  MuxSocket(MuxSocket&& other) noexcept : fd_(other.fd_), family_(other.family_), port_(other.port_) {
    other.fd_ = -1;
  }
  MuxSocket& operator=(MuxSocket&&) = delete;
  MuxSocket(const MuxSocket&) = delete;
  MuxSocket& operator=(const MuxSocket&) = delete;
  ~MuxSocket();

  int fd() const { return fd_; }
  int family() const { return family_; }
  uint16_t port() const { return port_; }

 private:
  MuxSocket(int fd, int family, uint16_t port) : fd_(fd), family_(family), port_(port) {}

  int fd_ = -1;
  int family_ = 0;
  uint16_t port_ = 0;
};

}  // namespace diemcau::media
