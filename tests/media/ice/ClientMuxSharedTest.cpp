#include "media/ice/ClientMux.hpp"
#include "media/ice/MuxSocket.hpp"
#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Worker.hpp"
#include "tests/media/ice/Eventually.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <tuple>

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;
using test::eventually;

// An endpoint on the shared socket that counts what the mux gives it.
class CountingEndpoint final : public ClientMux::Endpoint {
 public:
  int fd() const override { return ownFd; }
  void onDatagram(uint8_t* data, size_t len, const sockaddr_storage&, socklen_t) override {
    if (len > 0) lastByte = data[0];
    ++datagrams;
    if (onEach) onEach();
  }
  void onTick(gint64) override {}
  void onMuxGone() override {}
  void addReceiveLines(CacheLines& lines) const noexcept override {
    lines.add(this);
    refreshes.fetch_add(1);
    refreshedAfter = datagrams.load();
  }

  std::atomic<uint32_t> datagrams{0};
  mutable std::atomic<uint32_t> refreshes{0};
  mutable std::atomic<uint32_t> refreshedAfter{0};
  std::atomic<uint8_t> lastByte{0};
  std::function<void()> onEach;
  int ownFd = -1;  // a socket of its own (ClientMux::add), or -1 on the shared one
};

class ClientMuxSharedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mux_ = invokeAndWait(worker_, [&] {
      auto mux = std::make_unique<ClientMux>(worker_);
      mux->shareLoopbackSocket(11, 1 << 20);
      return mux;
    });
    port_ = invokeAndWait(worker_, [&] { return mux_->sharedSocket()->port(); });
  }
  void TearDown() override {
    invokeAndWait(worker_, [&] { mux_.reset(); });
    ::close(peer_);
  }
  uint32_t attach(CountingEndpoint& endpoint) {
    return invokeAndWait(worker_, [&] { return mux_->attachShared(endpoint); });
  }
  void sendTo(uint32_t slot, uint8_t byte, int count) {
    sendTo(invokeAndWait(worker_, [&] { return mux_->sharedSocket()->addressText(slot); }), port_, byte, count);
  }
  void sendTo(const std::string& ip, uint16_t port, uint8_t byte, int count) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ASSERT_EQ(::inet_pton(AF_INET, ip.c_str(), &to.sin_addr), 1);
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(::sendto(peer_, &byte, 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), 1);
    }
  }
  ClientMux::Stats stats() { return invokeAndWait(worker_, [&] { return mux_->stats(); }); }

  Worker worker_{"client-mux"};
  std::unique_ptr<ClientMux> mux_;
  uint16_t port_ = 0;
  int peer_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
};

TEST_F(ClientMuxSharedTest, AsksAnEndpointForItsLinesAfterItsFirstDatagramAndEveryPeriodAfter) {
  CountingEndpoint endpoint;
  const uint32_t slot = attach(endpoint);
  const int count = 2 * ClientMux::kLinesRefreshPeriod + 2;  // refreshed after 1, 65 and 129
  sendTo(slot, 0x80, count);
  ASSERT_TRUE(eventually([&] { return endpoint.datagrams == static_cast<uint32_t>(count); }));
  EXPECT_EQ(endpoint.refreshes, 3u);
  EXPECT_EQ(endpoint.refreshedAfter, 2 * ClientMux::kLinesRefreshPeriod + 1);
  EXPECT_EQ(endpoint.lastByte, 0x80);
  invokeAndWait(worker_, [&] { mux_->detachShared(endpoint, slot); });
}

TEST_F(ClientMuxSharedTest, AnEndpointDetachedByAnotherOnesCallbackGetsNothingMore) {
  CountingEndpoint first;
  CountingEndpoint second;
  const uint32_t firstSlot = attach(first);
  const uint32_t secondSlot = attach(second);
  EXPECT_NE(firstSlot, secondSlot);
  // The first endpoint's datagram detaches the second, whose datagrams may sit in the same batch.
  first.onEach = [&] { mux_->detachShared(second, secondSlot); };
  sendTo(firstSlot, 1, 1);
  sendTo(secondSlot, 2, 20);
  ASSERT_TRUE(eventually([&] { return stats().unclaimed == 20; }));
  EXPECT_EQ(first.datagrams, 1u);
  EXPECT_EQ(second.datagrams, 0u);
  EXPECT_EQ(invokeAndWait(worker_, [&] { return mux_->endpoints(); }), 1u);
  // Its address is not handed out again before the others.
  CountingEndpoint third;
  const uint32_t thirdSlot = attach(third);
  EXPECT_NE(thirdSlot, secondSlot);
  invokeAndWait(worker_, [&] { mux_->detachShared(first, firstSlot); });
  invokeAndWait(worker_, [&] { mux_->detachShared(third, thirdSlot); });
}

// A read of an endpoint's own socket (no control room without arrival times) between two reads of
// the shared socket must not leave the shared socket's headers without room for IP_PKTINFO: its
// datagrams would then name no address and be dropped.
TEST_F(ClientMuxSharedTest, OwnAndSharedSocketsOnOneMuxBothDeliverEverything) {
  CountingEndpoint shared;
  const uint32_t slot = attach(shared);
  const MuxSocket own = MuxSocket::bind("127.0.0.1", 0, 0);
  CountingEndpoint ownEndpoint;
  ownEndpoint.ownFd = own.fd();
  invokeAndWait(worker_, [&] { mux_->add(ownEndpoint); });
  for (int round = 0; round < 3; ++round) {
    sendTo("127.0.0.1", own.port(), 3, 1);
    ASSERT_TRUE(eventually([&] { return ownEndpoint.datagrams == static_cast<uint32_t>(round + 1); }));
    sendTo(slot, 4, 40);
    ASSERT_TRUE(eventually([&] { return shared.datagrams == static_cast<uint32_t>(40 * (round + 1)); }))
        << "round " << round << ": " << shared.datagrams << " delivered, " << stats().unclaimed << " unclaimed";
  }
  EXPECT_EQ(stats().unclaimed, 0u);
  invokeAndWait(worker_, [&] {
    mux_->remove(ownEndpoint);
    mux_->detachShared(shared, slot);
  });
}

// Read on a period, the shared socket is read whether anything came or not (nobody waits on it,
// so no sender wakes the worker), and what came in between is delivered as before.
TEST(ClientMuxPeriodicTest, ReadsTheSharedSocketOnItsPeriodAndDeliversWhatCame) {
  Worker worker{"client-mux"};
  auto mux = invokeAndWait(worker, [&] {
    auto made = std::make_unique<ClientMux>(worker);
    made->shareLoopbackSocket(12, 1 << 20, Timer::Duration(20));
    return made;
  });
  CountingEndpoint endpoint;
  const auto [slot, address, port] = invokeAndWait(worker, [&] {
    const uint32_t taken = mux->attachShared(endpoint);
    return std::tuple(taken, mux->sharedSocket()->addressText(taken), mux->sharedSocket()->port());
  });
  std::this_thread::sleep_for(300ms);
  const auto idle = invokeAndWait(worker, [&] { return mux->stats(); });
  EXPECT_GE(idle.wakeups, 5u) << "about 15 periods passed with nothing to read";
  EXPECT_EQ(idle.datagramsIn, 0u);

  const int peer = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  ASSERT_EQ(::inet_pton(AF_INET, address.c_str(), &to.sin_addr), 1);
  const uint8_t byte = 0x80;
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(::sendto(peer, &byte, 1, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to), 1);
  }
  EXPECT_TRUE(eventually([&] { return endpoint.datagrams == 300u; }));
  EXPECT_EQ(endpoint.lastByte, 0x80);
  ::close(peer);
  invokeAndWait(worker, [&, slot = slot] {  // a structured binding is captured by name
    mux->detachShared(endpoint, slot);
    mux.reset();
  });
}

}  // namespace
}  // namespace diemcau::media
