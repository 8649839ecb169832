#include "media/ice/LoopbackClientSocket.hpp"

#include "media/ice/MuxSocket.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace diemcau::media {

namespace {

std::string loopbackError(const std::string& what) {
  return "loopback client socket: " + what + ": " + std::strerror(errno);
}

}  // namespace

LoopbackClientSocket::LoopbackClientSocket(uint8_t network, int bufferBytes) : network_(network) {
  if (network == 0) throw std::invalid_argument("loopback client socket: network 0 holds 127.0.0.1; choose 1-255");
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(loopbackError("socket"));
  try {
    static constexpr char kLoopback[] = "lo";
    if (::setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, kLoopback, sizeof kLoopback) != 0) {
      throw std::runtime_error(loopbackError("SO_BINDTODEVICE lo (before Linux 5.7 it needs CAP_NET_RAW)"));
    }
    const int on = 1;
    if (::setsockopt(fd_, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) != 0)
      throw std::runtime_error(loopbackError("IP_PKTINFO"));
    if (bufferBytes > 0) sizeSocketBuffers(fd_, bufferBytes);
    setDontFragment(fd_, AF_INET);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&any), sizeof any) != 0)
      throw std::runtime_error(loopbackError("bind"));
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
      throw std::runtime_error(loopbackError("getsockname"));
    }
    port_ = ntohs(bound.sin_port);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

LoopbackClientSocket::~LoopbackClientSocket() { ::close(fd_); }

in_addr LoopbackClientSocket::address(uint32_t slot) const {
  const uint32_t host = (127u << 24) | (uint32_t{network_} << 16) | ((slot + 1) & 0xffffu);
  in_addr out{};
  out.s_addr = htonl(host);
  return out;
}

std::string LoopbackClientSocket::addressText(uint32_t slot) const {
  const in_addr in = address(slot);
  char text[INET_ADDRSTRLEN] = {};
  return ::inet_ntop(AF_INET, &in, text, sizeof text) != nullptr ? std::string(text) : std::string();
}

std::optional<uint32_t> LoopbackClientSocket::slotOf(const msghdr& received) const {
  // msghdr is not const-correct for CMSG_NXTHDR; nothing is written through it.
  auto* header = const_cast<msghdr*>(&received);
  for (cmsghdr* c = CMSG_FIRSTHDR(header); c != nullptr; c = CMSG_NXTHDR(header, c)) {
    if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO || c->cmsg_len < CMSG_LEN(sizeof(in_pktinfo))) {
      continue;
    }
    in_pktinfo info{};
    std::memcpy(&info, CMSG_DATA(c), sizeof info);
    const uint32_t host = ntohl(info.ipi_addr.s_addr);
    const uint32_t low = host & 0xffffu;
    if ((host >> 16) != ((127u << 8) | network_) || low == 0 || low > kSlots) return std::nullopt;
    return low - 1;
  }
  return std::nullopt;
}

ssize_t LoopbackClientSocket::sendFrom(uint32_t slot, const uint8_t* data, size_t len, const sockaddr* to,
                                       socklen_t toLength) const {
  alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(in_pktinfo))] = {};
  iovec vector{const_cast<uint8_t*>(data), len};
  msghdr message{};
  message.msg_name = const_cast<sockaddr*>(to);
  message.msg_namelen = toLength;
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&message);
  c->cmsg_level = IPPROTO_IP;
  c->cmsg_type = IP_PKTINFO;
  c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
  in_pktinfo info{};
  info.ipi_spec_dst = address(slot);
  std::memcpy(CMSG_DATA(c), &info, sizeof info);
  return ::sendmsg(fd_, &message, MSG_NOSIGNAL);
}

}  // namespace diemcau::media
