#include "IcePeer.hpp"
#include "LitePeer.hpp"

#include "media/ice/CandidateLine.hpp"
#include "media/ice/LiteIceTransport.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Timer.hpp"
#include "tests/media/ice/Eventually.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;
using test::eventually;
using test::IcePeer;
using test::LitePeer;

IceConfig fullConfig() {
  IceConfig config;
  config.localAddresses = {"127.0.0.1"};
  config.controlling = true;
  config.consentTimeout = 2s;
  return config;
}

IceConfig liteConfig() {
  IceConfig config;
  config.localAddresses = {"127.0.0.1"};
  config.consentTimeout = 2s;
  config.lite = true;
  return config;
}

class LiteIceTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mux_ = invokeAndWait(liteWorker_, [&] { return std::make_unique<UdpMux>(liteWorker_, liteConfig(), 0); });
  }
  void TearDown() override {
    // Transports before peers and the mux; then each worker drains what the other posted.
    for (auto& full : fulls_) full->destroy();
    for (auto& lite : lites_) lite->destroy();
    invokeAndWait(fullWorker_, [] {});
    invokeAndWait(liteWorker_, [] {});
    fulls_.clear();
    lites_.clear();
    invokeAndWait(liteWorker_, [&] { mux_.reset(); });
  }
  IcePeer& addFull() { return *fulls_.emplace_back(std::make_unique<IcePeer>(fullWorker_, fullConfig())); }
  LitePeer& addLite(IceConfig config = liteConfig()) {
    return *lites_.emplace_back(std::make_unique<LitePeer>(*mux_, std::move(config)));
  }
  UdpMux::Stats stats() {
    return invokeAndWait(liteWorker_, [&] { return mux_->stats(); });
  }
  void connect(IcePeer& full, LitePeer& lite) {
    LitePeer::connect(full, lite);
    ASSERT_TRUE(full.waitForState(IceState::Connected, 5s)) << "full side did not connect";
    ASSERT_TRUE(lite.waitForState(IceState::Connected, 5s)) << "lite side did not connect";
  }

  Worker fullWorker_{"ice-full"};
  Worker liteWorker_{"ice-lite"};
  std::unique_ptr<UdpMux> mux_;
  std::vector<std::unique_ptr<IcePeer>> fulls_;
  std::vector<std::unique_ptr<LitePeer>> lites_;
};

TEST_F(LiteIceTransportTest, ConnectsToAFullAgentAndDeliversEveryPacketBothWays) {
  IcePeer& full = addFull();
  LitePeer& lite = addLite();
  connect(full, lite);
  EXPECT_TRUE(invokeAndWait(liteWorker_, [&] { return lite.transport()->nominated(); }))
      << "libnice's regular nomination sends USE-CANDIDATE";
  EXPECT_EQ(LitePeer::sendNumberedFrom(full, 0, 1000), 1000);
  EXPECT_EQ(lite.sendNumbered(0, 1000), 1000);
  EXPECT_TRUE(eventually([&] { return full.receivedDistinct() == 1000 && lite.receivedDistinct() == 1000; }));
  EXPECT_EQ(lite.receivedDistinct(), 1000u);
  EXPECT_EQ(full.receivedDistinct(), 1000u);
  EXPECT_EQ(lite.receivedCorrupt(), 0u);
  EXPECT_EQ(full.receivedCorrupt(), 0u);
  const auto s = stats();
  EXPECT_GE(s.stunRequests, 1u);
  EXPECT_EQ(s.stunRejected, 0u);
  EXPECT_EQ(s.unknownSource, 0u);
  EXPECT_GE(s.datagramsIn, 1000u + s.stunRequests);
  EXPECT_GE(s.datagramsOut, 1000u + s.stunRequests);
  // The one state change a lite agent makes on its own.
  EXPECT_EQ(lite.states(), std::vector<IceState>{IceState::Connected});
}

TEST_F(LiteIceTransportTest, CandidatesNameTheMuxPortAndAnnouncedAddress) {
  IceConfig config = liteConfig();
  config.announcedAddress = "203.0.113.7";
  LitePeer& lite = addLite(config);
  lite.create();
  const auto lines = invokeAndWait(liteWorker_, [&] { return lite.transport()->localCandidates(); });
  ASSERT_EQ(lines.size(), 1u);
  const std::string port = std::to_string(invokeAndWait(liteWorker_, [&] { return mux_->port(); }));
  EXPECT_EQ(lines[0], "candidate:1 1 udp 2130706431 203.0.113.7 " + port + " typ host");
  // RFC 8445 §5.3: ufrag ≥ 4 and pwd ≥ 22 ice-chars.
  const auto ufrag = invokeAndWait(liteWorker_, [&] { return lite.transport()->localUfrag(); });
  const auto pwd = invokeAndWait(liteWorker_, [&] { return lite.transport()->localPwd(); });
  EXPECT_GE(ufrag.size(), 4u);
  EXPECT_GE(pwd.size(), 22u);
  EXPECT_EQ(ufrag.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
            std::string::npos);
}

TEST_F(LiteIceTransportTest, RemoteCandidatesAreCheckedForShapeOnly) {
  EXPECT_TRUE(CandidateLine::wellFormed("candidate:1 1 UDP 2122260223 192.0.2.4 61665 typ host"));
  EXPECT_TRUE(CandidateLine::wellFormed(
      "a=candidate:842163049 1 udp 1677729535 198.51.100.1 47311 typ srflx raddr 0.0.0.0 rport 0\r\n"));
  // Browsers hide host addresses behind mDNS names.
  EXPECT_TRUE(CandidateLine::wellFormed("candidate:1 1 udp 2122260223 4f0c-1b2a.local 52000 typ host"));
  EXPECT_FALSE(CandidateLine::wellFormed(""));
  EXPECT_FALSE(CandidateLine::wellFormed("candidate:1 1 udp 2122260223 192.0.2.4 61665 typ"));
  EXPECT_FALSE(CandidateLine::wellFormed("candidate:1 1 udp 2122260223 192.0.2.4 70000 typ host"));
  EXPECT_FALSE(CandidateLine::wellFormed("candidate:1 1 sctp 2122260223 192.0.2.4 5000 typ host"));
  EXPECT_FALSE(CandidateLine::wellFormed("candidate:1 1 udp 2122260223 192.0.2.4 5000 type host"));
  EXPECT_FALSE(CandidateLine::wellFormed("1 1 udp 2122260223 192.0.2.4 5000 typ host"));
  EXPECT_FALSE(CandidateLine::wellFormed("candidate:1 1 udp x 192.0.2.4 5000 typ host"));
}

TEST_F(LiteIceTransportTest, TwoTransportsOnOneMuxEachReceiveOnlyTheirOwnPeersPackets) {
  IcePeer& fullA = addFull();
  IcePeer& fullB = addFull();
  LitePeer& liteA = addLite();
  LitePeer& liteB = addLite();
  connect(fullA, liteA);
  connect(fullB, liteB);
  // Each full peer sends a distinct range; a packet crossing over would show up in the wrong range.
  EXPECT_EQ(LitePeer::sendNumberedFrom(fullA, 0, 500), 500);
  EXPECT_EQ(LitePeer::sendNumberedFrom(fullB, 1000, 300), 300);
  EXPECT_EQ(liteA.sendNumbered(2000, 200), 200);
  EXPECT_EQ(liteB.sendNumbered(3000, 100), 100);
  EXPECT_TRUE(eventually([&] {
    return liteA.receivedDistinct() == 500 && liteB.receivedDistinct() == 300 && fullA.receivedDistinct() == 200 &&
           fullB.receivedDistinct() == 100;
  }));
  EXPECT_EQ(liteA.receivedTotal(), 500u);
  EXPECT_EQ(liteB.receivedTotal(), 300u);
  EXPECT_EQ(fullA.receivedTotal(), 200u);
  EXPECT_EQ(fullB.receivedTotal(), 100u);
  const auto a = invokeAndWait(liteWorker_, [&] { return *liteA.transport()->selectedAddress(); });
  const auto b = invokeAndWait(liteWorker_, [&] { return *liteB.transport()->selectedAddress(); });
  EXPECT_FALSE(a == b);
  EXPECT_EQ(invokeAndWait(liteWorker_, [&] { return mux_->transportCount(); }), 2u);
}

TEST_F(LiteIceTransportTest, ChecksWithAWrongPasswordAreRejected) {
  IcePeer& full = addFull();
  LitePeer& lite = addLite();
  LitePeer::connect(full, lite, /*wrongPwd=*/"ThisIsNotThePasswordAtAll");
  // libnice gives the pair up at our 401 (RFC 5389 §10.1.2) instead of retrying until timeout.
  EXPECT_TRUE(eventually([&] { return stats().stunRejected >= 1; }));
  EXPECT_FALSE(lite.waitForState(IceState::Connected, 1s));
  EXPECT_EQ(stats().stunRequests, 0u);
  EXPECT_NE(full.lastState(), IceState::Connected);
  uint8_t byte = 0x80;
  EXPECT_EQ(invokeAndWait(liteWorker_, [&] { return lite.transport()->send(&byte, 1); }), -1);
}

TEST_F(LiteIceTransportTest, DatagramFromAnUnknownAddressIsDropped) {
  IcePeer& full = addFull();
  LitePeer& lite = addLite();
  connect(full, lite);
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(invokeAndWait(liteWorker_, [&] { return mux_->port(); }));
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  // An RTP-looking datagram (first byte 0x80) and a DTLS-looking one (22) from a stranger.
  uint8_t rtp[IcePeer::kPacketSize] = {0x80};
  uint8_t dtls[40] = {22, 0xfe, 0xfd};
  ASSERT_EQ(::sendto(fd, rtp, sizeof rtp, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), ssize_t{sizeof rtp});
  ASSERT_EQ(::sendto(fd, dtls, sizeof dtls, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), ssize_t{sizeof dtls});
  EXPECT_TRUE(eventually([&] { return stats().unknownSource >= 2; }));
  ::close(fd);
  EXPECT_EQ(lite.receivedTotal(), 0u);
  EXPECT_EQ(stats().unknownSource, 2u);
}

TEST_F(LiteIceTransportTest, ConsentExpiresWhenTheFullPeerVanishesAndARestartRecovers) {
  IcePeer& full = addFull();
  LitePeer& lite = addLite();
  connect(full, lite);
  ASSERT_EQ(LitePeer::sendNumberedFrom(full, 0, 20), 20);
  const auto vanished = std::chrono::steady_clock::now();
  full.destroy();  // no goodbye: the peer just goes silent
  ASSERT_TRUE(lite.waitForState(IceState::Failed, 2s + 2s));
  EXPECT_GE(std::chrono::steady_clock::now() - vanished, 1500ms);  // not before the timeout
  uint8_t byte = 0x80;
  EXPECT_EQ(invokeAndWait(liteWorker_, [&] { return lite.transport()->send(&byte, 1); }), -1);

  IcePeer& fresh = addFull();
  const auto oldUfrag = invokeAndWait(liteWorker_, [&] { return lite.transport()->localUfrag(); });
  LitePeer::reconnect(fresh, lite);
  EXPECT_NE(invokeAndWait(liteWorker_, [&] { return lite.transport()->localUfrag(); }), oldUfrag);
  ASSERT_TRUE(fresh.waitForState(IceState::Connected, 5s));
  ASSERT_TRUE(lite.waitForState(IceState::Connected, 5s));
  EXPECT_EQ(lite.states(), (std::vector<IceState>{IceState::Connected, IceState::Failed, IceState::New,
                                                  IceState::Connected}));
  EXPECT_EQ(lite.sendNumbered(100, 50), 50);
  EXPECT_EQ(LitePeer::sendNumberedFrom(fresh, 100, 50), 50);
  EXPECT_TRUE(eventually([&] { return fresh.receivedDistinct() == 50 && lite.receivedDistinct() >= 70; }));
}

TEST_F(LiteIceTransportTest, RepliesLeaveInFewerSendCallsThanDatagramsDuringABatch) {
  constexpr int kPairs = 4;
  std::vector<IcePeer*> fulls;
  std::vector<LitePeer*> lites;
  for (int i = 0; i < kPairs; ++i) {
    fulls.push_back(&addFull());
    lites.push_back(&addLite());
    connect(*fulls.back(), *lites.back());
    lites.back()->setEcho(true);
  }
  const auto before = stats();
  // Hold the lite worker so the bursts queue up in the shared socket, then let it read them.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  liteWorker_.post([released] { released.wait(); });
  for (int i = 0; i < kPairs; ++i) {
    EXPECT_EQ(invokeAndWait(fullWorker_, [&] {
                int sent = 0;
                uint8_t packet[IcePeer::kPacketSize];
                for (uint32_t seq = 0; seq < 25; ++seq) {
                  LitePeer::writeNumbered(packet, seq);
                  if (fulls[i]->transport()->send(packet, sizeof packet) == sizeof packet) ++sent;
                }
                return sent;
              }),
              25);
  }
  release.set_value();
  EXPECT_TRUE(eventually([&] {
    uint32_t echoed = 0;
    for (auto* full : fulls) echoed += full->receivedTotal();
    return echoed == 25 * kPairs;
  }));
  const auto after = stats();
  const uint64_t out = after.datagramsOut - before.datagramsOut;
  const uint64_t calls = after.sendCalls - before.sendCalls;
  EXPECT_GE(out, 25u * kPairs);
  EXPECT_LT(calls, out);
  EXPECT_LT(after.recvCalls - before.recvCalls, 25u * kPairs);
  for (auto* lite : lites) EXPECT_EQ(lite->receivedDistinct(), 25u);
}

TEST_F(LiteIceTransportTest, CloseIsTheLastCallback) {
  IcePeer& full = addFull();
  LitePeer& lite = addLite();
  connect(full, lite);
  invokeAndWait(liteWorker_, [&] {
    lite.transport()->close();
    lite.transport()->close();  // idempotent
  });
  EXPECT_EQ(lite.lastState(), IceState::Closed);
  const auto states = lite.states();
  EXPECT_EQ(std::count(states.begin(), states.end(), IceState::Closed), 1);
  LitePeer::sendNumberedFrom(full, 0, 50);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(lite.receivedTotal(), 0u);
  EXPECT_EQ(lite.states(), states);
  uint8_t byte = 0x80;
  EXPECT_EQ(invokeAndWait(liteWorker_, [&] { return lite.transport()->send(&byte, 1); }), -1);
  EXPECT_EQ(invokeAndWait(liteWorker_, [&] { return mux_->transportCount(); }), 0u);
  // The full peer's packets now come from an address nobody owns.
  EXPECT_TRUE(eventually([&] { return stats().unknownSource >= 50; }));
}

TEST_F(LiteIceTransportTest, DestroyingWhilePacketsFlowIsClean) {
  IcePeer& full = addFull();
  LitePeer& lite = addLite();
  LitePeer& other = addLite();
  IcePeer& otherFull = addFull();
  connect(full, lite);
  connect(otherFull, other);
  lite.setEcho(true);
  auto flood = [](Worker& worker, auto send) {
    return invokeAndWait(worker, [&worker, send] {
      auto timer = std::make_unique<Timer>(worker, [send] {
        uint8_t packet[IcePeer::kPacketSize] = {0x80};
        for (int i = 0; i < 20; ++i) send(packet, sizeof packet);
      });
      timer->start(1ms, 1ms);
      return timer;
    });
  };
  auto timerFull = flood(fullWorker_, [&full](const uint8_t* p, size_t n) {
    if (full.transport()) full.transport()->send(p, n);
  });
  auto timerLite = flood(liteWorker_, [&lite](const uint8_t* p, size_t n) {
    if (lite.transport()) lite.transport()->send(p, n);
  });
  std::this_thread::sleep_for(200ms);
  EXPECT_GT(lite.receivedTotal(), 0u);
  EXPECT_GT(full.receivedTotal(), 0u);
  lite.destroy();
  std::this_thread::sleep_for(100ms);
  invokeAndWait(fullWorker_, [&] { timerFull.reset(); });
  invokeAndWait(liteWorker_, [&] { timerLite.reset(); });
  // The mux and the other transport on it carry on.
  EXPECT_EQ(invokeAndWait(liteWorker_, [&] { return mux_->transportCount(); }), 1u);
  EXPECT_EQ(LitePeer::sendNumberedFrom(otherFull, 0, 20), 20);
  EXPECT_TRUE(eventually([&] { return other.receivedDistinct() == 20; }));
}

}  // namespace
}  // namespace diemcau::media
