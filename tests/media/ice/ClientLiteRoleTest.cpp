#include "LinkProbe.hpp"
#include "tests/media/ice/Eventually.hpp"

#include "media/ice/ClientIceTransport.hpp"
#include "media/ice/ClientMux.hpp"
#include "media/ice/IceTransport.hpp"
#include "media/worker/InvokeAndWait.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;
using test::eventually;
using test::LinkProbe;

// The client's lite role against a real full-ICE agent (IceTransport, libnice) that offered and so
// controls: the full side checks, the client only answers, as the load generator's subscribe
// connections do against Janus or a full-ICE bridge.
class ClientLiteRoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mux_ = invokeAndWait(clientWorker_, [&] { return std::make_unique<ClientMux>(clientWorker_); });
    client_.expectFrom(2);
    full_.expectFrom(1);
  }
  void TearDown() override {
    invokeAndWait(clientWorker_, [&] { client_.link.reset(); });
    invokeAndWait(fullWorker_, [&] { full_.link.reset(); });
    invokeAndWait(clientWorker_, [&] { mux_.reset(); });
  }

  ClientIceTransport& client() { return static_cast<ClientIceTransport&>(*client_.link); }

  /// Both links made and given each other's credentials (the full side maybe a wrong password for
  /// the client) and candidates, as signaling would: the full side offers, the client answers.
  void open(const std::string& wrongPwd = {}) {
    IceConfig fullConfig;
    fullConfig.localAddresses = {"127.0.0.1"};
    fullConfig.controlling = true;
    fullConfig.consentTimeout = 2s;
    IceConfig clientConfig = fullConfig;
    clientConfig.controlling = false;
    const auto offer = invokeAndWait(fullWorker_, [&] {
      full_.link = std::make_unique<IceTransport>(fullWorker_, fullConfig, full_);
      full_.link->gather();
      return std::pair(full_.link->localUfrag(), full_.link->localPwd());
    });
    ASSERT_TRUE(eventually([&] {
      return invokeAndWait(fullWorker_, [&] { return !full_.link->localCandidates().empty(); });
    })) << "the full agent gathered no candidate";
    const auto fullCandidates = invokeAndWait(fullWorker_, [&] { return full_.link->localCandidates(); });
    const auto answer = invokeAndWait(clientWorker_, [&] {
      client_.link =
          std::make_unique<ClientIceTransport>(*mux_, clientConfig, client_, ClientIceTransport::Role::Lite);
      auto& link = *client_.link;
      link.setRemoteCredentials(offer.first, offer.second);
      for (const auto& line : fullCandidates) EXPECT_TRUE(link.addRemoteCandidate(line));
      link.remoteGatheringDone();
      link.gather();
      return std::tuple(link.localUfrag(), link.localPwd(), link.localCandidates());
    });
    invokeAndWait(fullWorker_, [&] {
      auto& link = *full_.link;
      link.setRemoteCredentials(std::get<0>(answer), wrongPwd.empty() ? std::get<1>(answer) : wrongPwd);
      for (const auto& line : std::get<2>(answer)) EXPECT_TRUE(link.addRemoteCandidate(line));
      link.remoteGatheringDone();
    });
  }
  int sendFromClient(uint32_t count) {
    return invokeAndWait(clientWorker_, [&] { return client_.sendTagged(0, count); });
  }
  int sendFromFull(uint32_t count) {
    return invokeAndWait(fullWorker_, [&] { return full_.sendTagged(0, count); });
  }

  Worker clientWorker_{"ice-client"};
  Worker fullWorker_{"ice-full"};
  std::unique_ptr<ClientMux> mux_;
  LinkProbe client_{1};
  LinkProbe full_{2};
};

TEST_F(ClientLiteRoleTest, AnswersTheFullAgentsChecksAndCarriesPacketsBothWays) {
  open();
  ASSERT_TRUE(full_.waitForState(IceState::Connected, 5s)) << "the full agent did not connect";
  ASSERT_TRUE(client_.waitForState(IceState::Connected, 1s));
  // A lite agent never checks, so it never passes through Checking.
  EXPECT_EQ(client_.states(), (std::vector<IceState>{IceState::Connected}));
  const auto [lite, controlling, started, answered] = invokeAndWait(clientWorker_, [&] {
    return std::tuple(client().lite(), client().controlling(), client().checksStarted(),
                      client().checkSuccesses());
  });
  EXPECT_TRUE(lite) << "its descriptions must say a=ice-lite";
  EXPECT_FALSE(controlling);
  EXPECT_EQ(started, 0u);
  EXPECT_GE(answered, 1u);

  EXPECT_EQ(sendFromClient(20), 20);
  EXPECT_EQ(sendFromFull(20), 20);
  EXPECT_TRUE(eventually([&] { return client_.received() == 20 && full_.received() == 20; }));
  EXPECT_EQ(client_.receivedFrom(2), 20u);
  EXPECT_EQ(full_.receivedFrom(1), 20u);
}

TEST_F(ClientLiteRoleTest, ChecksWithAWrongPasswordAreRefusedAndNothingConnects) {
  open("wrong-password-wrong-password");
  EXPECT_FALSE(full_.waitForState(IceState::Connected, 2s));
  EXPECT_NE(client_.lastState(), IceState::Connected);
  const auto [answered, dropped] =
      invokeAndWait(clientWorker_, [&] { return std::pair(client().checkSuccesses(), client().dropped()); });
  EXPECT_EQ(answered, 0u);
  EXPECT_GE(dropped, 1u) << "the checks arrived and failed integrity";
  EXPECT_EQ(sendFromClient(1), 0);
}

TEST_F(ClientLiteRoleTest, AuthenticatedTrafficKeepsConsentAndItsEndLosesIt) {
  open();
  ASSERT_TRUE(full_.waitForState(IceState::Connected, 5s));
  ASSERT_TRUE(client_.waitForState(IceState::Connected, 1s));
  invokeAndWait(fullWorker_, [&] { full_.link->close(); });
  // The peer's checks stopped; what its listener authenticates (noteAuthenticated, as SRTP that
  // passed would) holds consent past the 2 s timeout.
  for (int i = 0; i < 30; ++i) {
    invokeAndWait(clientWorker_, [&] { client().noteAuthenticated(); });
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(client_.lastState(), IceState::Connected);
  EXPECT_EQ(sendFromClient(1), 1);
  // Nothing more: consent runs out.
  EXPECT_TRUE(client_.waitForState(IceState::Failed, 3s));
  EXPECT_EQ(sendFromClient(1), 0);
}

}  // namespace
}  // namespace diemcau::media
