#include "IcePeer.hpp"

#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Timer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;
using test::IcePeer;

IceConfig loopbackConfig(bool controlling) {
  IceConfig config;
  config.localAddresses = {"127.0.0.1"};
  config.controlling = controlling;
  config.consentTimeout = 2s;
  return config;
}

// "candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ..."
std::vector<std::string> fields(const std::string& candidate) {
  std::istringstream in(candidate);
  std::vector<std::string> out;
  for (std::string f; in >> f;) out.push_back(f);
  return out;
}

class IceTransportTest : public ::testing::Test {
 protected:
  void makePair(IceConfig a = loopbackConfig(true), IceConfig b = loopbackConfig(false)) {
    a_ = std::make_unique<IcePeer>(workerA_, std::move(a));
    b_ = std::make_unique<IcePeer>(workerB_, std::move(b));
  }
  void connect() {
    IcePeer::connectPair(*a_, *b_);
    ASSERT_TRUE(a_->waitForState(IceState::Connected, 5s)) << "controlling side did not connect";
    ASSERT_TRUE(b_->waitForState(IceState::Connected, 5s)) << "controlled side did not connect";
  }
  void TearDown() override {
    // Both transports go before either peer, then each worker drains what the other posted, so
    // no trickled candidate can reach a destroyed peer.
    if (a_) a_->destroy();
    if (b_) b_->destroy();
    invokeAndWait(workerA_, [] {});
    invokeAndWait(workerB_, [] {});
    a_.reset();
    b_.reset();
  }

  Worker workerA_{"ice-a"};
  Worker workerB_{"ice-b"};
  std::unique_ptr<IcePeer> a_;
  std::unique_ptr<IcePeer> b_;
};

TEST_F(IceTransportTest, ConnectsOverLoopbackAndDeliversEveryPacketBothWays) {
  makePair();
  connect();
  EXPECT_FALSE(a_->candidates().empty());
  // A host UDP pair: both sides send with sendto() on the pair's socket, not through the agent.
  EXPECT_TRUE(invokeAndWait(workerA_, [&] { return a_->transport()->sendsDirect(); }));
  EXPECT_TRUE(invokeAndWait(workerB_, [&] { return b_->transport()->sendsDirect(); }));
  EXPECT_EQ(a_->sendNumbered(0, 1000), 1000);
  EXPECT_EQ(b_->sendNumbered(0, 1000), 1000);
  for (int i = 0; i < 200 && (a_->receivedDistinct() < 1000 || b_->receivedDistinct() < 1000); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(b_->receivedDistinct(), 1000u);
  EXPECT_EQ(a_->receivedDistinct(), 1000u);
  EXPECT_EQ(a_->receivedCorrupt(), 0u);
  EXPECT_EQ(b_->receivedCorrupt(), 0u);
}

TEST_F(IceTransportTest, SendBeforeConnectedIsRefused) {
  makePair();
  a_->create();
  uint8_t byte = 0;
  EXPECT_EQ(invokeAndWait(workerA_, [&] { return a_->transport()->send(&byte, 1); }), -1);
  EXPECT_FALSE(invokeAndWait(workerA_, [&] { return a_->transport()->sendsDirect(); }));
  EXPECT_EQ(invokeAndWait(workerA_, [&] { return a_->transport()->state(); }), IceState::New);
}

TEST_F(IceTransportTest, HostCandidatesRespectThePortRangeAndAnnouncedAddress) {
  IceConfig config = loopbackConfig(false);
  config.portMin = 42100;
  config.portMax = 42110;
  config.announcedAddress = "203.0.113.7";
  makePair(config, loopbackConfig(true));
  a_->create();
  invokeAndWait(workerA_, [&] { a_->transport()->gather(); });
  for (int i = 0; i < 100 && a_->candidates().empty(); ++i) std::this_thread::sleep_for(10ms);
  auto local = invokeAndWait(workerA_, [&] { return a_->transport()->localCandidates(); });
  ASSERT_FALSE(local.empty());
  for (const auto& c : local) {
    auto f = fields(c);
    ASSERT_GE(f.size(), 8u) << c;
    EXPECT_EQ(f[0].rfind("candidate:", 0), 0u) << c;
    EXPECT_EQ(f[4], "203.0.113.7") << c;
    int port = std::stoi(f[5]);
    EXPECT_GE(port, 42100) << c;
    EXPECT_LE(port, 42110) << c;
    EXPECT_EQ(f[7], "host") << c;
  }
  // The trickled form matches what localCandidates() reports.
  EXPECT_EQ(a_->candidates(), local);
}

TEST_F(IceTransportTest, IceTcpAddsPassiveTcpHostCandidates) {
  IceConfig config = loopbackConfig(false);
  config.iceTcp = true;
  makePair(config, loopbackConfig(true));
  a_->create();
  invokeAndWait(workerA_, [&] { a_->transport()->gather(); });
  auto local = invokeAndWait(workerA_, [&] { return a_->transport()->localCandidates(); });
  bool udp = false;
  bool tcpPassive = false;
  for (const auto& c : local) {
    auto f = fields(c);
    ASSERT_GE(f.size(), 8u) << c;
    if (f[2] == "UDP") udp = true;
    // RFC 6544 §4.5: a server only listens, so its TCP host candidate is "tcptype passive".
    if (f[2] == "TCP" && c.find("tcptype passive") != std::string::npos) tcpPassive = true;
  }
  EXPECT_TRUE(udp);
  EXPECT_TRUE(tcpPassive);
}

TEST_F(IceTransportTest, InvertedPortRangeIsAConfigError) {
  IceConfig config = loopbackConfig(true);
  config.portMin = 5000;
  config.portMax = 4000;
  IcePeer peer(workerA_, config);
  EXPECT_THROW(peer.create(), std::invalid_argument);
  IceConfig badAddress = loopbackConfig(true);
  badAddress.localAddresses = {"not-an-ip"};
  IcePeer other(workerA_, badAddress);
  EXPECT_THROW(other.create(), std::invalid_argument);
}

TEST_F(IceTransportTest, PeerThatVanishesIsDetectedWithinConsentTimeout) {
  makePair();
  connect();
  ASSERT_EQ(a_->sendNumbered(0, 50), 50);
  ASSERT_EQ(b_->sendNumbered(0, 50), 50);
  EXPECT_EQ(a_->lastState(), IceState::Connected);
  auto vanished = std::chrono::steady_clock::now();
  b_->destroy();  // no goodbye on the wire: the peer just goes silent
  ASSERT_TRUE(a_->waitForState(IceState::Failed, 2s + 3s));
  auto detectedAfter = std::chrono::steady_clock::now() - vanished;
  EXPECT_GE(detectedAfter, 1500ms);  // not before the timeout
  // RFC 7675 §5.1: no more sending without consent.
  uint8_t byte = 0;
  EXPECT_EQ(invokeAndWait(workerA_, [&] { return a_->transport()->send(&byte, 1); }), -1);
}

TEST_F(IceTransportTest, TrafficKeepsConsentAlive) {
  makePair();
  connect();
  // 3 s of traffic every 200 ms with a 2 s timeout: never Failed.
  for (uint32_t i = 0; i < 15; ++i) {
    ASSERT_EQ(a_->sendNumbered(i, 1), 1);
    ASSERT_EQ(b_->sendNumbered(i, 1), 1);
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(a_->lastState(), IceState::Connected);
  EXPECT_EQ(b_->lastState(), IceState::Connected);
}

TEST_F(IceTransportTest, IceRestartReconnectsWithNewCredentials) {
  makePair();
  connect();
  auto oldUfrag = invokeAndWait(workerA_, [&] { return a_->transport()->localUfrag(); });
  IcePeer::restartPair(*a_, *b_);
  EXPECT_NE(invokeAndWait(workerA_, [&] { return a_->transport()->localUfrag(); }), oldUfrag);
  ASSERT_TRUE(a_->waitForState(IceState::Connected, 5s));
  ASSERT_TRUE(b_->waitForState(IceState::Connected, 5s));
  // The pair selected by the new checks is sent on directly again.
  EXPECT_TRUE(invokeAndWait(workerA_, [&] { return a_->transport()->sendsDirect(); }));
  EXPECT_TRUE(invokeAndWait(workerB_, [&] { return b_->transport()->sendsDirect(); }));
  EXPECT_EQ(a_->sendNumbered(2000, 100), 100);
  EXPECT_EQ(b_->sendNumbered(2000, 100), 100);
  for (int i = 0; i < 100 && (a_->receivedDistinct() < 100 || b_->receivedDistinct() < 100); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(a_->receivedDistinct(), 100u);
  EXPECT_EQ(b_->receivedDistinct(), 100u);
}

TEST_F(IceTransportTest, DestroyingWhilePacketsFlowIsClean) {
  makePair();
  connect();
  // Both sides flood from periodic timers on their own workers while B is torn down.
  auto flood = [](IcePeer& peer) {
    return invokeAndWait(peer.worker(), [&peer] {
      auto timer = std::make_unique<Timer>(peer.worker(), [&peer] {
        uint8_t packet[IcePeer::kPacketSize] = {};
        for (int i = 0; i < 20; ++i) {
          if (peer.transport()) peer.transport()->send(packet, sizeof packet);
        }
      });
      timer->start(1ms, 1ms);
      return timer;
    });
  };
  auto timerA = flood(*a_);
  auto timerB = flood(*b_);
  std::this_thread::sleep_for(200ms);
  // Traffic really is flowing both ways when B goes.
  EXPECT_GT(a_->receivedTotal(), 0u);
  EXPECT_GT(b_->receivedTotal(), 0u);
  b_->destroy();
  std::this_thread::sleep_for(100ms);
  a_->destroy();
  invokeAndWait(workerA_, [&] { timerA.reset(); });
  invokeAndWait(workerB_, [&] { timerB.reset(); });
  // Both workers survived the teardown (ASan/UBSan builds check the memory side).
  EXPECT_EQ(invokeAndWait(workerA_, [] { return 1; }), 1);
  EXPECT_EQ(invokeAndWait(workerB_, [] { return 2; }), 2);
}

TEST_F(IceTransportTest, CloseIsTheLastCallback) {
  makePair();
  connect();
  invokeAndWait(workerA_, [&] {
    a_->transport()->close();
    a_->transport()->close();  // idempotent
  });
  EXPECT_EQ(a_->lastState(), IceState::Closed);
  // B keeps sending; A must not report anything any more.
  b_->sendNumbered(0, 50);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(a_->receivedDistinct(), 0u);
  EXPECT_EQ(a_->lastState(), IceState::Closed);
  uint8_t byte = 0;
  EXPECT_EQ(invokeAndWait(workerA_, [&] { return a_->transport()->send(&byte, 1); }), -1);
}

}  // namespace
}  // namespace diemcau::media
