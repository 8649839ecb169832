// MuxSocket's socket options: every datagram it sends leaves with Don't Fragment set, and so with
// IP ID 0 (the kernel's per-destination ID counters are never touched on the send path); and the
// kernel's drop count of a socket, as receiveDrops() reads it.
#include "media/ice/MuxSocket.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace diemcau::media {
namespace {

int socketOption(int fd, int level, int name) {
  int value = -1;
  socklen_t length = sizeof value;
  EXPECT_EQ(::getsockopt(fd, level, name, &value, &length), 0);
  return value;
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

TEST(MuxSocket, AnIpv4SocketAsksForDontFragmentWithoutPathMtuErrors) {
  const MuxSocket socket = MuxSocket::bind("127.0.0.1", 0, 0);
  EXPECT_EQ(socketOption(socket.fd(), IPPROTO_IP, IP_MTU_DISCOVER), IP_PMTUDISC_PROBE);
}

TEST(MuxSocket, AnIpv6SocketKeepsTheKernelFromFragmenting) {
  std::optional<MuxSocket> socket;
  try {
    socket.emplace(MuxSocket::bind("::1", 0, 0));
  } catch (const std::runtime_error&) {
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  EXPECT_EQ(socketOption(socket->fd(), IPPROTO_IPV6, IPV6_MTU_DISCOVER), IPV6_PMTUDISC_PROBE);
}

// On the wire, read back through a raw socket (root only; skipped otherwise).
TEST(MuxSocket, ItsDatagramsCarryDontFragmentAndIpIdZero) {
  Fd raw{::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP)};
  if (raw.fd < 0 && (errno == EPERM || errno == EACCES)) GTEST_SKIP() << "raw sockets need CAP_NET_RAW";
  ASSERT_GE(raw.fd, 0);
  Fd receiver{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  sockaddr_in to = loopback(0);
  ASSERT_EQ(::bind(receiver.fd, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0);
  socklen_t length = sizeof to;
  ASSERT_EQ(::getsockname(receiver.fd, reinterpret_cast<sockaddr*>(&to), &length), 0);

  const MuxSocket socket = MuxSocket::bind("127.0.0.1", 0, 0);
  const std::array<uint8_t, 1100> payload{};
  // Several datagrams: without DF the kernel's IDs differ from 0 for all but a lucky one.
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(::sendto(socket.fd(), payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                       sizeof to),
              static_cast<ssize_t>(payload.size()));
  }
  int seen = 0;
  std::array<uint8_t, 2048> buffer{};
  pollfd readable{raw.fd, POLLIN, 0};
  while (seen < 4 && ::poll(&readable, 1, 2000) == 1) {
    const ssize_t n = ::recv(raw.fd, buffer.data(), buffer.size(), 0);
    if (n < static_cast<ssize_t>(sizeof(iphdr) + sizeof(udphdr))) continue;
    iphdr ip{};
    std::memcpy(&ip, buffer.data(), sizeof ip);
    udphdr udp{};
    std::memcpy(&udp, buffer.data() + ip.ihl * 4u, sizeof udp);
    // Other traffic on loopback (another test's) is not ours.
    if (ntohs(udp.source) != socket.port() || udp.dest != to.sin_port) continue;
    EXPECT_NE(ntohs(ip.frag_off) & IP_DF, 0) << "datagram " << seen;
    EXPECT_EQ(ip.id, 0) << "datagram " << seen;
    ++seen;
  }
  EXPECT_EQ(seen, 4);
}

TEST(MuxSocket, ReceiveDropsCountsWhatAFullBufferTurnedAway) {
  Fd receiver{::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
  const int small = 4096;  // the kernel's floor: a few datagrams fit
  ASSERT_EQ(::setsockopt(receiver.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
  sockaddr_in to = loopback(0);
  ASSERT_EQ(::bind(receiver.fd, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0);
  socklen_t length = sizeof to;
  ASSERT_EQ(::getsockname(receiver.fd, reinterpret_cast<sockaddr*>(&to), &length), 0);
  EXPECT_EQ(receiveDrops(receiver.fd), 0u);

  Fd sender{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  const std::array<uint8_t, 1000> payload{};
  constexpr int kSent = 200;
  for (int i = 0; i < kSent; ++i) {
    ASSERT_EQ(::sendto(sender.fd, payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                       sizeof to),
              static_cast<ssize_t>(payload.size()));
  }
  int queued = 0;
  std::array<uint8_t, 2048> buffer{};
  while (::recv(receiver.fd, buffer.data(), buffer.size(), 0) > 0) ++queued;
  ASSERT_LT(queued, kSent);
  // Loopback delivers in the sender's call: every datagram was either queued or dropped.
  EXPECT_EQ(receiveDrops(receiver.fd), static_cast<uint64_t>(kSent - queued));
  EXPECT_EQ(receiveDrops(-1), 0u);
}

}  // namespace
}  // namespace diemcau::media
