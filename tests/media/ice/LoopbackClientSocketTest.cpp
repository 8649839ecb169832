#include "media/ice/LoopbackClientSocket.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <optional>
#include <stdexcept>
#include <string>

namespace diemcau::media {
namespace {

// A plain UDP socket on 127.0.0.1 playing the peer.
struct PlainSocket {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  uint16_t port = 0;
  PlainSocket() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  ~PlainSocket() { ::close(fd); }
  void sendTo(const std::string& ip, uint16_t toPort, const std::string& text) const {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(toPort);
    ASSERT_EQ(::inet_pton(AF_INET, ip.c_str(), &to.sin_addr), 1);
    ASSERT_EQ(::sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(text.size()));
  }
};

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 2000) == 1;
}

// One datagram read from the shared socket with its control messages: the slot it was sent to.
std::optional<uint32_t> receiveSlot(const LoopbackClientSocket& socket, std::string& text) {
  EXPECT_TRUE(readable(socket.fd()));
  std::array<char, 256> data{};
  alignas(cmsghdr) std::array<uint8_t, LoopbackClientSocket::kPacketInfoSpace> control{};
  iovec vector{data.data(), data.size()};
  msghdr header{};
  header.msg_iov = &vector;
  header.msg_iovlen = 1;
  header.msg_control = control.data();
  header.msg_controllen = control.size();
  const ssize_t got = ::recvmsg(socket.fd(), &header, 0);
  EXPECT_GT(got, 0);
  text.assign(data.data(), got > 0 ? static_cast<size_t>(got) : 0);
  return socket.slotOf(header);
}

TEST(LoopbackClientSocket, SlotsMapToAddressesOfItsNetworkAndBack) {
  const LoopbackClientSocket socket(9, 0);
  EXPECT_EQ(socket.addressText(0), "127.9.0.1");
  EXPECT_EQ(socket.addressText(254), "127.9.0.255");
  EXPECT_EQ(socket.addressText(255), "127.9.1.0");
  EXPECT_EQ(socket.addressText(LoopbackClientSocket::kSlots - 1), "127.9.255.254");
  EXPECT_NE(socket.port(), 0);

  const PlainSocket peer;
  std::string text;
  peer.sendTo("127.9.0.5", socket.port(), "to slot 4");
  EXPECT_EQ(receiveSlot(socket, text), std::optional<uint32_t>(4));
  EXPECT_EQ(text, "to slot 4");
  peer.sendTo("127.9.255.254", socket.port(), "last");
  EXPECT_EQ(receiveSlot(socket, text), std::optional<uint32_t>(LoopbackClientSocket::kSlots - 1));
  // Addresses outside its range reach the wildcard socket too; they name no slot.
  peer.sendTo("127.0.0.1", socket.port(), "usual loopback");
  EXPECT_EQ(receiveSlot(socket, text), std::nullopt);
  peer.sendTo("127.10.0.1", socket.port(), "another network");
  EXPECT_EQ(receiveSlot(socket, text), std::nullopt);
  peer.sendTo("127.9.255.255", socket.port(), "past the last slot");
  EXPECT_EQ(receiveSlot(socket, text), std::nullopt);
  EXPECT_EQ(text, "past the last slot");
}

TEST(LoopbackClientSocket, SendsFromTheSlotsAddress) {
  const LoopbackClientSocket socket(9, 0);
  const PlainSocket peer;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(peer.port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string text = "from slot 9";
  for (const uint32_t slot : {9u, 300u}) {
    ASSERT_EQ(socket.sendFrom(slot, reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                              reinterpret_cast<const sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(text.size()));
    ASSERT_TRUE(readable(peer.fd));
    std::array<char, 64> data{};
    sockaddr_in from{};
    socklen_t fromLength = sizeof from;
    const ssize_t got = ::recvfrom(peer.fd, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&from), &fromLength);
    EXPECT_EQ(std::string(data.data(), got > 0 ? static_cast<size_t>(got) : 0), text);
    char source[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &from.sin_addr, source, sizeof source);
    EXPECT_EQ(std::string(source), socket.addressText(slot));
    EXPECT_EQ(ntohs(from.sin_port), socket.port());
  }
}

TEST(LoopbackClientSocket, RefusesNetworkZero) {
  EXPECT_THROW(LoopbackClientSocket(0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace diemcau::media
