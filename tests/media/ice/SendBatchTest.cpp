// SendBatch on real loopback sockets: datagrams queued by copy and written in place in a reserved
// slot leave in queue order with the bytes that were written; an uncommitted reservation sends
// nothing. Then the same through a LiteIceTransport on a UdpMux, as WebRtcTransport uses it.
#include "media/ice/SendBatch.hpp"

#include "media/ice/LiteIceTransport.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/worker/InvokeAndWait.hpp"

#include <gtest/gtest.h>
#include <stun/stunagent.h>
#include <stun/usages/ice.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace diemcau::media {
namespace {

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address_;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address_), &length);
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  int fd() const { return fd_; }
  const sockaddr* address() const { return reinterpret_cast<const sockaddr*>(&address_); }
  /// Every datagram waiting (loopback delivers during the send call).
  std::vector<std::vector<uint8_t>> drain() const {
    std::vector<std::vector<uint8_t>> out;
    std::array<uint8_t, 2048> buffer{};
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n < 0) return out;
      out.emplace_back(buffer.begin(), buffer.begin() + n);
    }
  }

 private:
  int fd_;
  sockaddr_in address_{};
};

TEST(SendBatchTest, ReservedSlotsAndCopiesLeaveInQueueOrder) {
  Socket sender;
  Socket receiver;
  SendBatch batch;
  const std::vector<uint8_t> first = {0x80, 0x60, 0x00, 0x01};
  ASSERT_TRUE(batch.queue(sender.fd(), receiver.address(), sizeof(sockaddr_in), first.data(), first.size()));

  // Written in place, as a transport protects straight into the slot.
  const auto slot = batch.reserve(sender.fd(), receiver.address(), sizeof(sockaddr_in), 200);
  ASSERT_EQ(slot.size(), SendBatch::kSlotBytes);
  const std::array<uint8_t, 5> second = {0x80, 0x60, 0x00, 0x02, 0xAA};
  std::copy(second.begin(), second.end(), slot.begin());
  EXPECT_EQ(batch.size(), 1u);  // nothing queued before the commit
  ASSERT_TRUE(batch.commit(second.size()));
  EXPECT_FALSE(batch.commit(second.size()));  // one commit per reservation

  const std::vector<uint8_t> third = {0x80, 0x60, 0x00, 0x03};
  ASSERT_TRUE(batch.queue(sender.fd(), receiver.address(), sizeof(sockaddr_in), third.data(), third.size()));
  EXPECT_EQ(batch.size(), 3u);

  const auto counters = batch.flush();
  EXPECT_EQ(counters.calls, 1u);
  EXPECT_EQ(counters.datagrams, 3u);
  EXPECT_EQ(counters.errors, 0u);
  const auto got = receiver.drain();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], first);
  EXPECT_EQ(got[1], std::vector<uint8_t>(second.begin(), second.end()));
  EXPECT_EQ(got[2], third);
}

TEST(SendBatchTest, AReservationNotCommittedSendsNothing) {
  Socket sender;
  Socket receiver;
  SendBatch batch;
  auto slot = batch.reserve(sender.fd(), receiver.address(), sizeof(sockaddr_in), 100);
  ASSERT_FALSE(slot.empty());
  slot[0] = 0x80;
  // A queue() in between takes the slot: the reservation is void and its commit refused.
  const std::vector<uint8_t> copied = {0x80, 0x61};
  ASSERT_TRUE(batch.queue(sender.fd(), receiver.address(), sizeof(sockaddr_in), copied.data(), copied.size()));
  EXPECT_FALSE(batch.commit(1));
  // A reservation left open at the flush is dropped with it.
  ASSERT_FALSE(batch.reserve(sender.fd(), receiver.address(), sizeof(sockaddr_in), 100).empty());
  EXPECT_EQ(batch.flush().datagrams, 1u);
  EXPECT_FALSE(batch.commit(1));
  const auto got = receiver.drain();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], copied);
}

TEST(SendBatchTest, NoSlotWhenThePoolIsFullOrTheDatagramTooBig) {
  Socket sender;
  Socket receiver;
  SendBatch batch;
  EXPECT_TRUE(batch.reserve(sender.fd(), receiver.address(), sizeof(sockaddr_in), SendBatch::kSlotBytes + 1).empty());
  EXPECT_FALSE(batch.commit(10));
  auto slot = batch.reserve(sender.fd(), receiver.address(), sizeof(sockaddr_in), SendBatch::kSlotBytes);
  ASSERT_FALSE(slot.empty());
  EXPECT_FALSE(batch.commit(SendBatch::kSlotBytes + 1));  // longer than the slot: refused
  const uint8_t byte = 0x80;
  for (size_t i = 0; i < SendBatch::kSlots; ++i) {
    ASSERT_TRUE(batch.queue(sender.fd(), receiver.address(), sizeof(sockaddr_in), &byte, 1));
  }
  EXPECT_TRUE(batch.full());
  EXPECT_TRUE(batch.reserve(sender.fd(), receiver.address(), sizeof(sockaddr_in), 1).empty());
  batch.flush();
  receiver.drain();
}

// A Binding request as a controlling full agent sends it (USE-CANDIDATE, MESSAGE-INTEGRITY keyed
// by `pwd`, FINGERPRINT): the mux selects the sender's address for the transport.
std::vector<uint8_t> nominatingCheck(const std::string& ufrag, const std::string& pwd) {
  StunAgent agent;
  stun_agent_init(&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                  static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                   STUN_AGENT_USAGE_USE_FINGERPRINT));
  std::vector<uint8_t> buffer(512);
  StunMessage message;
  const std::string username = ufrag + ":peer";
  const size_t length = stun_usage_ice_conncheck_create(
      &agent, &message, buffer.data(), buffer.size(), reinterpret_cast<const uint8_t*>(username.data()),
      username.size(), reinterpret_cast<const uint8_t*>(pwd.data()), pwd.size(), true, true, 0x6e0001ff, 42,
      nullptr, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
  buffer.resize(length);
  return buffer;
}

TEST(SendBatchTest, ADatagramWrittenInTheMuxSlotLeavesWithTheReceiveBatch) {
  // What WebRtcTransport does while the mux dispatches a batch: protect straight into the slot.
  struct InPlace : IceLink::Listener {
    LiteIceTransport* transport = nullptr;
    int committed = 0;
    void onIceCandidate(const std::string&) override {}
    void onIceGatheringDone() override {}
    void onIceStateChanged(IceState) override {}
    void onIcePacket(uint8_t* data, size_t len) override {
      const auto slot = transport->reserveSend(len + 16);
      if (slot.empty()) return;
      std::copy(data, data + len, slot.begin());
      slot[len] = 0xEE;  // one byte more, as a protected packet grows by its tag
      committed = transport->commitSend(len + 1);
    }
  };
  Socket peer;
  Worker worker("send-batch-test");
  invokeAndWait(worker, [&] {
    IceConfig config;
    config.localAddresses = {"127.0.0.1"};
    UdpMux mux(worker, config, 0);
    InPlace listener;
    LiteIceTransport transport(mux, config, listener);
    listener.transport = &transport;
    // No path yet: no slot, nothing to commit.
    EXPECT_TRUE(transport.reserveSend(100).empty());
    EXPECT_EQ(transport.commitSend(1), -1);
    auto request = nominatingCheck(transport.localUfrag(), transport.localPwd());
    mux.handleDatagram(0, request.data(), request.size(), peer.address(), sizeof(sockaddr_in));
    ASSERT_EQ(peer.drain().size(), 1u);  // the STUN response
    const auto start = mux.stats();
    uint8_t rtp[4] = {0x80, 0x60, 0x12, 0x34};
    mux.handleDatagram(0, rtp, sizeof rtp, peer.address(), sizeof(sockaddr_in));
    EXPECT_EQ(listener.committed, 5);
    EXPECT_EQ(mux.stats().datagramsOut - start.datagramsOut, 1u);
    EXPECT_EQ(mux.stats().sendCalls - start.sendCalls, 1u);
    // Outside a batch there is no slot: the transport copies into send() instead.
    EXPECT_TRUE(transport.reserveSend(100).empty());
    EXPECT_EQ(transport.commitSend(1), -1);
  });
  const auto got = peer.drain();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], (std::vector<uint8_t>{0x80, 0x60, 0x12, 0x34, 0xEE}));
}

}  // namespace
}  // namespace diemcau::media
