#include "LinkProbe.hpp"
#include "tests/media/ice/Eventually.hpp"

#include "media/ice/CandidateLine.hpp"
#include "media/ice/ClientIceTransport.hpp"
#include "media/ice/ClientMux.hpp"
#include "media/ice/LiteIceTransport.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/worker/InvokeAndWait.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;
using test::eventually;
using test::LinkProbe;

IceConfig config(bool lite, std::chrono::seconds consent = 2s) {
  IceConfig c;
  c.localAddresses = {"127.0.0.1"};
  c.consentTimeout = consent;
  c.lite = lite;
  c.controlling = !lite;
  return c;
}

// A client link (ClientIceTransport on a ClientMux) against a lite one (LiteIceTransport on a
// UdpMux), each side on its own worker, with signaling done by hand.
class ClientIceTransportTest : public ::testing::Test {
 protected:
  struct Pair {
    std::unique_ptr<LinkProbe> client;
    std::unique_ptr<LinkProbe> lite;
  };

  void SetUp() override {
    clientMux_ = invokeAndWait(clientWorker_, [&] { return std::make_unique<ClientMux>(clientWorker_); });
    liteMux_ = invokeAndWait(liteWorker_, [&] { return std::make_unique<UdpMux>(liteWorker_, config(true), 0); });
  }
  void TearDown() override {
    for (auto& pair : pairs_) {
      invokeAndWait(clientWorker_, [&] { pair.client->link.reset(); });
      invokeAndWait(liteWorker_, [&] { pair.lite->link.reset(); });
    }
    invokeAndWait(clientWorker_, [&] { clientMux_.reset(); });
    invokeAndWait(liteWorker_, [&] { liteMux_.reset(); });
  }

  ClientIceTransport& client(Pair& pair) { return static_cast<ClientIceTransport&>(*pair.client->link); }
  LiteIceTransport& lite(Pair& pair) { return static_cast<LiteIceTransport&>(*pair.lite->link); }

  /// Creates both links, gives each the other's credentials (the client maybe a wrong password)
  /// and the lite candidates to the client, and gathers.
  Pair& open(uint32_t index, const std::string& wrongPwd = {}, std::chrono::seconds clientConsent = 2s) {
    Pair& pair = pairs_.emplace_back();
    pair.client = std::make_unique<LinkProbe>(2 * index + 1);
    pair.lite = std::make_unique<LinkProbe>(2 * index + 2);
    pair.client->expectFrom(2 * index + 2);
    pair.lite->expectFrom(2 * index + 1);
    auto liteSide = invokeAndWait(liteWorker_, [&] {
      pair.lite->link = std::make_unique<LiteIceTransport>(*liteMux_, config(true), *pair.lite);
      pair.lite->link->gather();
      return std::tuple(pair.lite->link->localUfrag(), pair.lite->link->localPwd(), pair.lite->link->localCandidates());
    });
    auto clientCreds = invokeAndWait(clientWorker_, [&] {
      pair.client->link = std::make_unique<ClientIceTransport>(*clientMux_, config(false, clientConsent), *pair.client);
      return std::pair(pair.client->link->localUfrag(), pair.client->link->localPwd());
    });
    invokeAndWait(liteWorker_, [&] { pair.lite->link->setRemoteCredentials(clientCreds.first, clientCreds.second); });
    invokeAndWait(clientWorker_, [&] {
      auto& link = *pair.client->link;
      link.setRemoteCredentials(std::get<0>(liteSide), wrongPwd.empty() ? std::get<1>(liteSide) : wrongPwd);
      for (const auto& line : std::get<2>(liteSide)) EXPECT_TRUE(link.addRemoteCandidate(line));
      link.remoteGatheringDone();
      link.gather();
    });
    return pair;
  }
  void connected(Pair& pair) {
    ASSERT_TRUE(pair.client->waitForState(IceState::Connected, 3s)) << "client did not connect";
    ASSERT_TRUE(pair.lite->waitForState(IceState::Connected, 3s)) << "lite side did not connect";
  }
  // In bursts of 25 a millisecond apart, as the other ICE tests send: a receiver slowed down (ASan,
  // a busy machine) must not lose what its socket buffer cannot hold.
  static int sendInBursts(Worker& worker, LinkProbe& probe, uint32_t count) {
    constexpr uint32_t kBurst = 25;
    int accepted = 0;
    for (uint32_t first = 0; first < count; first += kBurst) {
      const uint32_t n = std::min(kBurst, count - first);
      accepted += invokeAndWait(worker, [&] { return probe.sendTagged(first, n); });
      std::this_thread::sleep_for(1ms);
    }
    return accepted;
  }
  // The mux goes first, then the client link closes and goes: under ASan a use-after-free without
  // onMuxGone().
  void closeAfterTheMux(Pair& pair) {
    invokeAndWait(clientWorker_, [&] { clientMux_.reset(); });
    invokeAndWait(clientWorker_, [&] {
      pair.client->link->close();
      pair.client->link.reset();
    });
    const auto states = pair.client->states();
    ASSERT_FALSE(states.empty());
    EXPECT_EQ(states.back(), IceState::Closed);
  }
  int sendFromClient(Pair& pair, uint32_t count) { return sendInBursts(clientWorker_, *pair.client, count); }
  int sendFromLite(Pair& pair, uint32_t count) { return sendInBursts(liteWorker_, *pair.lite, count); }

  Worker clientWorker_{"ice-client"};
  Worker liteWorker_{"ice-lite"};
  std::unique_ptr<ClientMux> clientMux_;
  std::unique_ptr<UdpMux> liteMux_;
  std::vector<Pair> pairs_;
};

TEST_F(ClientIceTransportTest, ConnectsToALiteTransportAndCarriesPacketsBothWays) {
  Pair& pair = open(0);
  connected(pair);
  EXPECT_EQ(pair.client->states(), (std::vector<IceState>{IceState::Checking, IceState::Connected}));
  // Aggressive nomination: the lite side's pair is nominated by the check that connected it.
  EXPECT_TRUE(invokeAndWait(liteWorker_, [&] { return lite(pair).nominated(); }));
  const auto [clientSees, clientCandidate] = invokeAndWait(clientWorker_, [&] {
    const auto candidates = client(pair).localCandidates();
    return std::pair(client(pair).selectedAddress(), candidates.empty() ? std::string() : candidates[0]);
  });
  ASSERT_TRUE(clientSees.has_value());
  EXPECT_EQ(clientSees->port, invokeAndWait(liteWorker_, [&] { return liteMux_->port(); }));
  const auto liteSelected = invokeAndWait(liteWorker_, [&] { return lite(pair).selectedAddress(); });
  ASSERT_TRUE(liteSelected.has_value());
  EXPECT_NE(clientCandidate.find(" " + std::to_string(liteSelected->port) + " typ host"), std::string::npos)
      << "the lite side selected the client's socket: " << clientCandidate;

  EXPECT_EQ(sendFromClient(pair, 500), 500);
  EXPECT_EQ(sendFromLite(pair, 500), 500);
  EXPECT_TRUE(eventually([&] { return pair.client->received() == 500 && pair.lite->received() == 500; }));
  EXPECT_EQ(pair.client->receivedFrom(2), 500u);
  EXPECT_EQ(pair.lite->receivedFrom(1), 500u);
  EXPECT_EQ(pair.client->foreign(), 0u);
  const auto stats = invokeAndWait(clientWorker_, [&] { return clientMux_->stats(); });
  EXPECT_GE(stats.datagramsIn, 501u);  // the packets and at least one check response
  EXPECT_LT(stats.recvCalls, 500u) << "recvmmsg reads several datagrams per call when they queue";
}

TEST_F(ClientIceTransportTest, WrongRemotePasswordNeverConnectsThenFails) {
  Pair& pair = open(0, "wrong-password-wrong-password");
  EXPECT_FALSE(pair.client->waitForState(IceState::Connected, 2s));
  EXPECT_GE(invokeAndWait(liteWorker_, [&] { return liteMux_->stats().stunRejected; }), 2u)
      << "the checks arrived (and were retransmitted) but failed integrity";
  EXPECT_TRUE(pair.client->waitForState(IceState::Failed, ClientIceTransport::kChecksTimeout + 3s));
  EXPECT_EQ(pair.client->states(), (std::vector<IceState>{IceState::Checking, IceState::Failed}));
  // The lite side never heard a valid check, so it fails on its own once its connect timeout
  // (max(consent timeout, 5 s)) has passed since it got the client's credentials.
  EXPECT_EQ(pair.lite->states(), (std::vector<IceState>{IceState::Failed}));
  EXPECT_EQ(sendFromClient(pair, 1), 0);
}

TEST_F(ClientIceTransportTest, ConsentChecksKeepAnIdleLinkAlivePastTheConsentTimeout) {
  Pair& pair = open(0);
  connected(pair);
  // Both consent timeouts are 2 s; nothing but consent checks flows for 5 s.
  std::this_thread::sleep_for(5s);
  EXPECT_EQ(pair.client->lastState(), IceState::Connected);
  EXPECT_EQ(pair.lite->lastState(), IceState::Connected);
  EXPECT_GE(invokeAndWait(clientWorker_, [&] { return client(pair).checkSuccesses(); }), 5u);
  EXPECT_EQ(sendFromLite(pair, 10), 10);
  EXPECT_TRUE(eventually([&] { return pair.client->received() == 10; }));
}

TEST_F(ClientIceTransportTest, ConsentIsLostWhenThePeerStopsAnswering) {
  Pair& pair = open(0);
  connected(pair);
  invokeAndWait(liteWorker_, [&] { pair.lite->link->close(); });
  EXPECT_FALSE(pair.client->waitForState(IceState::Failed, 1s)) << "one unanswered check is not a lost consent";
  EXPECT_TRUE(pair.client->waitForState(IceState::Failed, 3s));
  EXPECT_EQ(sendFromClient(pair, 1), 0);
}

TEST_F(ClientIceTransportTest, RestartOnBothSidesConnectsAgain) {
  Pair& pair = open(0);
  connected(pair);
  const auto oldUfrag = invokeAndWait(clientWorker_, [&] { return client(pair).localUfrag(); });
  auto liteCreds = invokeAndWait(liteWorker_, [&] {
    lite(pair).restart();
    return std::pair(lite(pair).localUfrag(), lite(pair).localPwd());
  });
  auto clientCreds = invokeAndWait(clientWorker_, [&] {
    client(pair).restart();
    return std::pair(client(pair).localUfrag(), client(pair).localPwd());
  });
  EXPECT_NE(clientCreds.first, oldUfrag);
  invokeAndWait(liteWorker_, [&] { lite(pair).setRemoteCredentials(clientCreds.first, clientCreds.second); });
  invokeAndWait(clientWorker_, [&] { client(pair).setRemoteCredentials(liteCreds.first, liteCreds.second); });
  ASSERT_TRUE(pair.client->waitForState(IceState::Connected, 3s));
  ASSERT_TRUE(pair.lite->waitForState(IceState::Connected, 3s));
  EXPECT_EQ(pair.client->states(), (std::vector<IceState>{IceState::Checking, IceState::Connected, IceState::New,
                                                          IceState::Checking, IceState::Connected}));
  EXPECT_EQ(sendFromClient(pair, 100), 100);
  EXPECT_EQ(sendFromLite(pair, 100), 100);
  EXPECT_TRUE(eventually([&] { return pair.client->received() == 100 && pair.lite->received() == 100; }));
}

TEST_F(ClientIceTransportTest, CloseIsTheLastCallbackAndIdempotent) {
  Pair& pair = open(0);
  connected(pair);
  invokeAndWait(clientWorker_, [&] {
    pair.client->link->close();
    pair.client->link->close();
  });
  const auto states = pair.client->states();
  EXPECT_EQ(states.back(), IceState::Closed);
  EXPECT_EQ(std::count(states.begin(), states.end(), IceState::Closed), 1);
  EXPECT_EQ(sendFromLite(pair, 50), 50);  // the lite side still has its path
  std::this_thread::sleep_for(300ms);     // past retransmission and tick periods
  EXPECT_EQ(pair.client->received(), 0u);
  EXPECT_EQ(pair.client->callbacksAfterClose(), 0u);
  EXPECT_EQ(sendFromClient(pair, 1), 0);
  EXPECT_EQ(invokeAndWait(clientWorker_, [&] { return clientMux_->endpoints(); }), 0u);
}

// A mux destroyed before its connections (a load run torn down after a failed leave) must leave
// them safe to close and destroy: under ASan this is a use-after-free without onMuxGone().
TEST_F(ClientIceTransportTest, AMuxDestroyedFirstLeavesItsConnectionsSafeToClose) {
  Pair& pair = open(0);
  connected(pair);
  closeAfterTheMux(pair);
}

TEST_F(ClientIceTransportTest, ManyClientsOnOneMuxEachGetOnlyTheirOwnPackets) {
  constexpr uint32_t kClients = 24;
  for (uint32_t i = 0; i < kClients; ++i) open(i);
  for (auto& pair : pairs_) connected(pair);
  EXPECT_EQ(invokeAndWait(clientWorker_, [&] { return clientMux_->endpoints(); }), kClients);
  for (auto& pair : pairs_) EXPECT_EQ(sendFromLite(pair, 200), 200);
  EXPECT_TRUE(eventually([&] {
    for (auto& pair : pairs_) {
      if (pair.client->received() < 200) return false;
    }
    return true;
  }));
  for (size_t i = 0; i < pairs_.size(); ++i) {
    EXPECT_EQ(pairs_[i].client->receivedFrom(static_cast<uint32_t>(2 * i + 2)), 200u) << "client " << i;
    EXPECT_EQ(pairs_[i].client->foreign(), 0u) << "client " << i;
  }
  // One closed in the middle: the others keep their packets.
  invokeAndWait(clientWorker_, [&] { pairs_[5].client->link->close(); });
  for (auto& pair : pairs_) sendFromLite(pair, 1);
  EXPECT_TRUE(eventually([&] { return pairs_[6].client->received() == 201; }));
  EXPECT_EQ(pairs_[5].client->received(), 200u);
}

// The same against the mux's shared loopback socket: every client has an address of its own on one
// socket, the lite side tells them apart by it, and one recvmmsg reads several clients' datagrams.
TEST_F(ClientIceTransportTest, ClientsOnTheSharedLoopbackSocketEachGetOnlyTheirOwnPackets) {
  constexpr uint32_t kClients = 24;
  invokeAndWait(clientWorker_, [&] { clientMux_->shareLoopbackSocket(7, 1 << 20); });
  for (uint32_t i = 0; i < kClients; ++i) open(i);
  for (auto& pair : pairs_) connected(pair);
  const uint16_t sharedPort = invokeAndWait(clientWorker_, [&] { return clientMux_->sharedSocket()->port(); });
  std::set<std::string> liteSees;
  for (auto& pair : pairs_) {
    const auto candidates = invokeAndWait(clientWorker_, [&] { return client(pair).localCandidates(); });
    ASSERT_EQ(candidates.size(), 1u);
    EXPECT_NE(candidates[0].find(" 127.7."), std::string::npos) << candidates[0];
    EXPECT_NE(candidates[0].find(" " + std::to_string(sharedPort) + " typ host"), std::string::npos) << candidates[0];
    const auto selected = invokeAndWait(liteWorker_, [&] { return lite(pair).selectedAddress(); });
    ASSERT_TRUE(selected.has_value());
    EXPECT_EQ(selected->port, sharedPort);
    EXPECT_EQ(selected->bytes[0], 127);
    EXPECT_EQ(selected->bytes[1], 7);
    liteSees.insert(std::to_string(selected->bytes[2]) + "." + std::to_string(selected->bytes[3]));
  }
  EXPECT_EQ(liteSees.size(), kClients) << "the lite side sees each client at an address of its own";

  for (auto& pair : pairs_) EXPECT_EQ(sendFromLite(pair, 200), 200);
  for (auto& pair : pairs_) EXPECT_EQ(sendFromClient(pair, 20), 20);
  EXPECT_TRUE(eventually([&] {
    for (auto& pair : pairs_) {
      if (pair.client->received() < 200 || pair.lite->received() < 20) return false;
    }
    return true;
  }));
  for (size_t i = 0; i < pairs_.size(); ++i) {
    EXPECT_EQ(pairs_[i].client->receivedFrom(static_cast<uint32_t>(2 * i + 2)), 200u) << "client " << i;
    EXPECT_EQ(pairs_[i].client->foreign(), 0u) << "client " << i;
    EXPECT_EQ(pairs_[i].lite->receivedFrom(static_cast<uint32_t>(2 * i + 1)), 20u) << "lite " << i;
  }
  auto stats = invokeAndWait(clientWorker_, [&] { return clientMux_->stats(); });
  EXPECT_GE(stats.datagramsIn, kClients * 200u);
  EXPECT_LT(stats.recvCalls * 2, stats.datagramsIn) << "one recvmmsg reads datagrams of several clients";
  EXPECT_EQ(stats.unclaimed, 0u);

  // One closed in the middle: the others keep their packets, its own find no one.
  invokeAndWait(clientWorker_, [&] { pairs_[5].client->link->close(); });
  EXPECT_EQ(invokeAndWait(clientWorker_, [&] { return clientMux_->endpoints(); }), kClients - 1);
  for (auto& pair : pairs_) sendFromLite(pair, 1);
  EXPECT_TRUE(eventually([&] { return pairs_[6].client->received() == 201; }));
  EXPECT_TRUE(eventually([&] { return invokeAndWait(clientWorker_, [&] { return clientMux_->stats().unclaimed; }) == 1; }));
  EXPECT_EQ(pairs_[5].client->received(), 200u);
  EXPECT_EQ(pairs_[5].client->callbacksAfterClose(), 0u);

  // A new client takes a fresh address, not the departed one's.
  Pair& late = open(kClients);
  connected(late);
  const auto lateSelected = invokeAndWait(liteWorker_, [&] { return lite(late).selectedAddress(); });
  const auto departed = invokeAndWait(liteWorker_, [&] { return lite(pairs_[5]).selectedAddress(); });
  ASSERT_TRUE(lateSelected && departed);
  EXPECT_FALSE(*lateSelected == *departed);
}

TEST_F(ClientIceTransportTest, AMuxDestroyedFirstLeavesItsSharedSocketConnectionsSafeToClose) {
  invokeAndWait(clientWorker_, [&] { clientMux_->shareLoopbackSocket(8, 0); });
  Pair& pair = open(0);
  connected(pair);
  closeAfterTheMux(pair);
}

TEST(CandidateLineTarget, KeepsUdpHostAndSrflxCandidatesOnly) {
  const auto host = CandidateLine::udpTarget("candidate:1 1 udp 2130706431 127.0.0.1 41000 typ host");
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ(host->ip, "127.0.0.1");
  EXPECT_EQ(host->port, 41000);
  EXPECT_EQ(host->priority, 2130706431u);
  const auto srflx =
      CandidateLine::udpTarget("a=candidate:2 1 UDP 1686052607 2001:db8::7 5000 typ srflx raddr 10.0.0.1 rport 5000");
  ASSERT_TRUE(srflx.has_value());
  EXPECT_EQ(srflx->ip, "2001:db8::7");
  EXPECT_FALSE(CandidateLine::udpTarget("candidate:1 1 tcp 2130706431 127.0.0.1 9 typ host tcptype passive"));
  EXPECT_FALSE(CandidateLine::udpTarget("candidate:1 1 udp 2130706431 127.0.0.1 41000 typ relay"));
  EXPECT_FALSE(CandidateLine::udpTarget("candidate:1 2 udp 2130706431 127.0.0.1 41000 typ host"));
  EXPECT_FALSE(CandidateLine::udpTarget("candidate:1 1 udp 2130706431 a1b2.local 41000 typ host"));
  EXPECT_FALSE(CandidateLine::udpTarget("candidate:1 1 udp 2130706431 127.0.0.1 0 typ host"));
  EXPECT_FALSE(CandidateLine::udpTarget("candidate:1 1 udp 2130706431 127.0.0.1 70000 typ host"));
  EXPECT_FALSE(CandidateLine::udpTarget("candidate:1 1 udp"));
}

}  // namespace
}  // namespace diemcau::media
