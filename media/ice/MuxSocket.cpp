#include "media/ice/MuxSocket.hpp"

#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace diemcau::media {

namespace {

std::string lastError(const std::string& what) { return what + ": " + std::strerror(errno); }

void sizeBuffer(int fd, int option, int forceOption, int bytes) {
  (void)::setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof bytes);
  int granted = 0;
  socklen_t length = sizeof granted;
  // Linux reports twice the usable size it reserved (bookkeeping overhead included).
  if (::getsockopt(fd, SOL_SOCKET, option, &granted, &length) == 0 && granted / 2 < bytes) {
    (void)::setsockopt(fd, SOL_SOCKET, forceOption, &bytes, sizeof bytes);
  }
}

}  // namespace

void sizeSocketBuffers(int fd, int bytes) {
  sizeBuffer(fd, SO_RCVBUF, SO_RCVBUFFORCE, bytes);
  sizeBuffer(fd, SO_SNDBUF, SO_SNDBUFFORCE, bytes);
}

void setDontFragment(int fd, int family) {
  if (family == AF_INET) {
    const int probe = IP_PMTUDISC_PROBE;
    (void)::setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &probe, sizeof probe);
  } else if (family == AF_INET6) {
    const int probe = IPV6_PMTUDISC_PROBE;
    (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &probe, sizeof probe);
  }
}

uint64_t receiveDrops(int fd) {
  uint32_t info[SK_MEMINFO_VARS] = {};
  socklen_t length = sizeof info;
  if (::getsockopt(fd, SOL_SOCKET, SO_MEMINFO, info, &length) != 0 ||
      length <= SK_MEMINFO_DROPS * sizeof(uint32_t)) {
    return 0;
  }
  return info[SK_MEMINFO_DROPS];
}

MuxSocket::~MuxSocket() {
  if (fd_ >= 0) ::close(fd_);
}

MuxSocket MuxSocket::bind(const std::string& ip, uint16_t port, int bufferBytes) {
  sockaddr_storage address{};
  socklen_t length = 0;
  int family = 0;
  auto* in = reinterpret_cast<sockaddr_in*>(&address);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (::inet_pton(AF_INET, ip.c_str(), &in->sin_addr) == 1) {
    family = AF_INET;
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, ip.c_str(), &in6->sin6_addr) == 1) {
    family = AF_INET6;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    length = sizeof(sockaddr_in6);
  } else {
    throw std::invalid_argument("udp mux: not an IP address: '" + ip + "'");
  }
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(lastError("udp mux: socket"));
  MuxSocket socket(fd, family, port);
  if (family == AF_INET6) {
    // One socket per family: the IPv4 address gets its own, with its own candidate.
    const int on = 1;
    (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  }
  // A shared socket queues every participant's datagrams while the worker is busy: a large buffer.
  if (bufferBytes > 0) sizeSocketBuffers(fd, bufferBytes);
  setDontFragment(fd, family);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    throw std::runtime_error(lastError("udp mux: bind " + ip + " port " + std::to_string(port)));
  }
  sockaddr_storage bound{};
  socklen_t boundLength = sizeof bound;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &boundLength) != 0) {
    throw std::runtime_error(lastError("udp mux: getsockname"));
  }
  socket.port_ = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                         : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  return socket;
}

std::vector<std::string> MuxSocket::interfaceAddresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (ifaddrs* item = list; item != nullptr; item = item->ifa_next) {
    if (item->ifa_addr == nullptr || item->ifa_addr->sa_family != AF_INET) continue;
    if ((item->ifa_flags & IFF_UP) == 0 || (item->ifa_flags & IFF_LOOPBACK) != 0) continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* in = reinterpret_cast<const sockaddr_in*>(item->ifa_addr);
    if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) != nullptr) out.emplace_back(text);
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace diemcau::media
