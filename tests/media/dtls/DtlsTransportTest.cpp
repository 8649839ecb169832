#include "media/dtls/DtlsTransport.hpp"

#include <gtest/gtest.h>

#include <random>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/DtlsFingerprint.hpp"
#include "tests/media/dtls/DtlsTestPeer.hpp"

namespace diemcau::media {
namespace {

using test::DtlsTestPeer;
using test::fireTimer;
using test::pump;

// Short timers keep the retransmission and give-up tests fast; production uses the defaults.
DtlsContextOptions fastOptions() {
  DtlsContextOptions options;
  options.initialRetransmit = std::chrono::milliseconds(20);
  options.maxRetransmit = std::chrono::milliseconds(80);
  options.handshakeTimeout = std::chrono::milliseconds(600);
  return options;
}

class DtlsTransportTest : public ::testing::Test {
 protected:
  // Production timers for the plain handshake tests: with a 20 ms timer a slow (sanitizer) run would see
  // OpenSSL retransmit from inside its read path, and the duplicates would make the loss-free pump nondeterministic.
  DtlsTransportTest()
      : clientCert_(DtlsCertificate::generate()),
        serverCert_(DtlsCertificate::generate()),
        clientContext_(clientCert_),
        serverContext_(serverCert_),
        fastClientContext_(clientCert_, fastOptions()),
        fastServerContext_(serverCert_, fastOptions()) {}

  void startBoth(DtlsTestPeer& client, DtlsTestPeer& server) {
    server.transport.start(DtlsRole::Server, "sha-256", clientCert_->fingerprint());
    client.transport.start(DtlsRole::Client, "sha-256", serverCert_->fingerprint());
  }

  static void expectCrosswiseKeys(const DtlsTestPeer& client, const DtlsTestPeer& server, SrtpProfile profile) {
    ASSERT_TRUE(client.keys.has_value());
    ASSERT_TRUE(server.keys.has_value());
    EXPECT_EQ(client.keys->profile, profile);
    EXPECT_EQ(server.keys->profile, profile);
    EXPECT_EQ(client.keys->localKeySalt.size(), srtpMasterKeySaltLength(profile));
    EXPECT_EQ(client.keys->localKeySalt, server.keys->remoteKeySalt);
    EXPECT_EQ(client.keys->remoteKeySalt, server.keys->localKeySalt);
    EXPECT_NE(client.keys->localKeySalt, client.keys->remoteKeySalt);
  }

  std::shared_ptr<const DtlsCertificate> clientCert_;
  std::shared_ptr<const DtlsCertificate> serverCert_;
  DtlsContext clientContext_;
  DtlsContext serverContext_;
  DtlsContext fastClientContext_;
  DtlsContext fastServerContext_;
};

TEST_F(DtlsTransportTest, HandshakeConnectsBothSidesWithCrosswiseKeys) {
  DtlsTestPeer client(clientContext_);
  DtlsTestPeer server(serverContext_);
  EXPECT_EQ(client.transport.state(), DtlsState::New);
  startBoth(client, server);
  EXPECT_EQ(client.transport.state(), DtlsState::Connecting);
  EXPECT_EQ(client.outbox.size(), 1u) << "the client speaks first";
  EXPECT_TRUE(server.outbox.empty()) << "the server waits for the ClientHello";

  pump(client, server);

  EXPECT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("");
  EXPECT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
  EXPECT_EQ(client.connectedCalls, 1);
  EXPECT_EQ(server.connectedCalls, 1);
  // Both offer GCM first, so GCM wins.
  expectCrosswiseKeys(client, server, SrtpProfile::AeadAes128Gcm);
  EXPECT_LE(client.largestDatagram, 1200u);
  EXPECT_LE(server.largestDatagram, 1200u);
}

TEST_F(DtlsTransportTest, FallsBackToSha1_80WhenServerOffersOnlyThat) {
  DtlsContextOptions options;
  options.srtpProfiles = "SRTP_AES128_CM_SHA1_80";
  DtlsContext sha1Only(serverCert_, options);
  DtlsTestPeer client(clientContext_);
  DtlsTestPeer server(sha1Only);
  startBoth(client, server);
  pump(client, server);
  ASSERT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("");
  expectCrosswiseKeys(client, server, SrtpProfile::Aes128CmSha1_80);
}

TEST_F(DtlsTransportTest, FallsBackToSha1_80WhenClientOffersOnlyThat) {
  DtlsContextOptions options;
  options.srtpProfiles = "SRTP_AES128_CM_SHA1_80";
  DtlsContext sha1Only(clientCert_, options);
  DtlsTestPeer client(sha1Only);
  DtlsTestPeer server(serverContext_);
  startBoth(client, server);
  pump(client, server);
  ASSERT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
  expectCrosswiseKeys(client, server, SrtpProfile::Aes128CmSha1_80);
}

TEST_F(DtlsTransportTest, CoalescedRecordsInOneDatagramStillConnect) {
  DtlsTestPeer client(clientContext_);
  DtlsTestPeer server(serverContext_);
  startBoth(client, server);
  pump(client, server, /*coalesce=*/true);
  EXPECT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("");
  EXPECT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
  expectCrosswiseKeys(client, server, SrtpProfile::AeadAes128Gcm);
}

TEST_F(DtlsTransportTest, SmallMtuSplitsFlightsAcrossDatagrams) {
  DtlsContextOptions options;
  options.mtu = 300;
  DtlsContext smallClient(clientCert_, options);
  DtlsContext smallServer(serverCert_, options);
  DtlsTestPeer client(smallClient);
  DtlsTestPeer server(smallServer);
  startBoth(client, server);
  pump(client, server);
  EXPECT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("");
  EXPECT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
  EXPECT_LE(client.largestDatagram, 300u);
  EXPECT_LE(server.largestDatagram, 300u);
  // Certificate + key exchange do not fit in 300 bytes: the server flight must have been split.
  EXPECT_GE(server.sentDatagrams, 3);
}

TEST_F(DtlsTransportTest, AcceptsFingerprintInOtherAlgorithmAndCase) {
  DtlsTestPeer client(clientContext_);
  DtlsTestPeer server(serverContext_);
  std::string lower = *computeFingerprint(serverCert_->x509(), "sha-1");
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  server.transport.start(DtlsRole::Server, "sha-256", clientCert_->fingerprint());
  client.transport.start(DtlsRole::Client, "SHA-1", lower);
  pump(client, server);
  EXPECT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("");
}

TEST_F(DtlsTransportTest, FingerprintMismatchFails) {
  DtlsTestPeer client(clientContext_);
  DtlsTestPeer server(serverContext_);
  const auto stranger = DtlsCertificate::generate();
  server.transport.start(DtlsRole::Server, "sha-256", clientCert_->fingerprint());
  client.transport.start(DtlsRole::Client, "sha-256", stranger->fingerprint());
  pump(client, server);
  EXPECT_EQ(client.transport.state(), DtlsState::Failed);
  EXPECT_EQ(client.failedCalls, 1);
  EXPECT_EQ(client.connectedCalls, 0);
  EXPECT_FALSE(client.keys.has_value());
  EXPECT_NE(client.failure->find("fingerprint"), std::string::npos) << *client.failure;
}

TEST_F(DtlsTransportTest, ServerRejectsClientWithWrongFingerprint) {
  DtlsTestPeer client(clientContext_);
  DtlsTestPeer server(serverContext_);
  server.transport.start(DtlsRole::Server, "sha-256", serverCert_->fingerprint());  // not the client's
  client.transport.start(DtlsRole::Client, "sha-256", serverCert_->fingerprint());
  pump(client, server);
  EXPECT_EQ(server.transport.state(), DtlsState::Failed);
  EXPECT_FALSE(server.keys.has_value());
}

TEST_F(DtlsTransportTest, LostFirstFlightIsRetransmittedOnTimeout) {
  DtlsTestPeer client(fastClientContext_);
  DtlsTestPeer server(fastServerContext_);
  startBoth(client, server);
  ASSERT_EQ(client.outbox.size(), 1u);
  client.outbox.clear();  // the ClientHello is lost

  const auto wait = client.transport.timeout();
  ASSERT_TRUE(wait.has_value());
  EXPECT_LE(*wait, std::chrono::milliseconds(20));
  fireTimer(client);
  ASSERT_EQ(client.outbox.size(), 1u) << "the ClientHello is sent again";

  pump(client, server);
  EXPECT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("");
  EXPECT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
  expectCrosswiseKeys(client, server, SrtpProfile::AeadAes128Gcm);
}

TEST_F(DtlsTransportTest, LostServerFlightIsRetransmittedOnServerTimeout) {
  DtlsTestPeer client(fastClientContext_);
  DtlsTestPeer server(fastServerContext_);
  startBoth(client, server);
  server.transport.receive(client.outbox.front());
  client.outbox.clear();
  ASSERT_FALSE(server.outbox.empty());
  server.outbox.clear();  // ServerHello..ServerHelloDone lost

  ASSERT_TRUE(server.transport.timeout().has_value()) << "the server waits for an answer to its flight";
  fireTimer(server);
  EXPECT_FALSE(server.outbox.empty()) << "ServerHello..ServerHelloDone sent again";
  pump(client, server);
  EXPECT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("");
  EXPECT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
}

TEST_F(DtlsTransportTest, LostFinalServerFlightIsRecoveredAfterServerConnected) {
  DtlsTestPeer client(fastClientContext_);
  DtlsTestPeer server(fastServerContext_);
  startBoth(client, server);
  server.transport.receive(client.outbox.front());  // ClientHello
  client.outbox.clear();
  while (!server.outbox.empty()) {  // server flight 1
    client.transport.receive(server.outbox.front());
    server.outbox.pop_front();
  }
  while (!client.outbox.empty()) {  // Certificate..Finished
    server.transport.receive(client.outbox.front());
    client.outbox.pop_front();
  }
  ASSERT_EQ(server.transport.state(), DtlsState::Connected);
  ASSERT_FALSE(server.outbox.empty());
  server.outbox.clear();  // ChangeCipherSpec + Finished lost: the client cannot finish
  EXPECT_EQ(client.transport.state(), DtlsState::Connecting);

  // RFC 6347 §4.2.4: the client resends its flight; the connected server must answer with its last flight.
  fireTimer(client);
  ASSERT_FALSE(client.outbox.empty());
  pump(client, server);
  EXPECT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("");
  EXPECT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
  expectCrosswiseKeys(client, server, SrtpProfile::AeadAes128Gcm);
}

TEST_F(DtlsTransportTest, PeerThatNeverAnswersFailsAfterHandshakeTimeout) {
  DtlsTestPeer client(fastClientContext_);
  client.transport.start(DtlsRole::Client, "sha-256", serverCert_->fingerprint());
  const auto begin = std::chrono::steady_clock::now();
  while (client.transport.state() == DtlsState::Connecting &&
         std::chrono::steady_clock::now() - begin < std::chrono::seconds(5)) {
    fireTimer(client);
  }
  EXPECT_EQ(client.transport.state(), DtlsState::Failed);
  EXPECT_EQ(client.failedCalls, 1);
  EXPECT_GE(client.sentDatagrams, 3) << "the ClientHello was retransmitted before giving up";
  EXPECT_FALSE(client.transport.timeout().has_value());
}

TEST_F(DtlsTransportTest, ServerWhoseClientNeverSpeaksFails) {
  DtlsTestPeer server(fastServerContext_);
  server.transport.start(DtlsRole::Server, "sha-256", clientCert_->fingerprint());
  const auto wait = server.transport.timeout();
  ASSERT_TRUE(wait.has_value()) << "the handshake deadline needs a timer even without a DTLS flight";
  fireTimer(server);
  EXPECT_EQ(server.transport.state(), DtlsState::Failed);
}

TEST_F(DtlsTransportTest, RandomGarbageIsIgnoredWithoutCrash) {
  DtlsTestPeer server(serverContext_);
  server.transport.start(DtlsRole::Server, "sha-256", clientCert_->fingerprint());
  std::mt19937 random(1234);
  for (int i = 0; i < 200; ++i) {
    std::vector<uint8_t> garbage(1 + random() % 1500);
    for (auto& byte : garbage) byte = static_cast<uint8_t>(random());
    server.transport.receive(garbage);
  }
  server.transport.receive({});
  // RFC 6347 §4.1.2.7: invalid records are discarded silently, the handshake can still succeed.
  EXPECT_NE(server.transport.state(), DtlsState::Connected);

  DtlsTestPeer client(clientContext_);
  client.transport.start(DtlsRole::Client, "sha-256", serverCert_->fingerprint());
  pump(client, server);
  EXPECT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
}

TEST_F(DtlsTransportTest, MalformedClientHelloFails) {
  DtlsTestPeer server(serverContext_);
  server.transport.start(DtlsRole::Server, "sha-256", clientCert_->fingerprint());
  // One handshake record (RFC 6347 §4.1) carrying a ClientHello cut short after its version field.
  const std::vector<uint8_t> datagram = {
      0x16, 0xfe, 0xfd,        // handshake record, DTLS 1.2
      0x00, 0x00,              // epoch 0
      0x00, 0x00, 0x00,        // sequence number (hi)
      0x00, 0x00, 0x00,        // sequence number (lo)
      0x00, 0x10,              // record length 16
      0x01, 0x00, 0x00, 0x04,  // client_hello, length 4
      0x00, 0x00, 0x00, 0x00,  // message_seq 0, fragment_offset 0 (hi)
      0x00, 0x00, 0x00, 0x04,  // fragment_offset (lo), fragment_length 4
      0xfe, 0xfd, 0x00, 0x00,  // client_version, then a random cut short
  };
  ASSERT_EQ(datagram.size(), 13u + 16u);

  server.transport.receive(datagram);
  EXPECT_EQ(server.transport.state(), DtlsState::Failed);
  EXPECT_EQ(server.failedCalls, 1);
}

TEST_F(DtlsTransportTest, GarbageAfterHandshakeKeepsConnection) {
  DtlsTestPeer client(clientContext_);
  DtlsTestPeer server(serverContext_);
  startBoth(client, server);
  pump(client, server);
  ASSERT_EQ(server.transport.state(), DtlsState::Connected);
  std::mt19937 random(99);
  for (int i = 0; i < 100; ++i) {
    std::vector<uint8_t> garbage(1 + random() % 300);
    for (auto& byte : garbage) byte = static_cast<uint8_t>(random());
    garbage[0] = 0x17;  // looks like application data of epoch 1
    server.transport.receive(garbage);
  }
  EXPECT_EQ(server.transport.state(), DtlsState::Connected) << server.failure.value_or("");
}

TEST_F(DtlsTransportTest, CloseNotifyClosesPeer) {
  DtlsTestPeer client(clientContext_);
  DtlsTestPeer server(serverContext_);
  startBoth(client, server);
  pump(client, server);
  ASSERT_EQ(client.transport.state(), DtlsState::Connected);

  client.transport.close();
  EXPECT_EQ(client.transport.state(), DtlsState::Closed);
  ASSERT_FALSE(client.outbox.empty()) << "close_notify goes on the wire";
  pump(client, server);
  EXPECT_EQ(server.transport.state(), DtlsState::Closed);
  EXPECT_EQ(server.closedCalls, 1);
  EXPECT_EQ(client.closedCalls, 0);
  EXPECT_EQ(server.failedCalls, 0);
  EXPECT_FALSE(server.transport.timeout().has_value());
}

TEST_F(DtlsTransportTest, DefaultTimersStartAtHalfASecond) {
  DtlsContext defaults(clientCert_);
  DtlsTestPeer client(defaults);
  client.transport.start(DtlsRole::Client, "sha-256", serverCert_->fingerprint());
  const auto wait = client.transport.timeout();
  ASSERT_TRUE(wait.has_value());
  EXPECT_GT(*wait, std::chrono::milliseconds(400));
  EXPECT_LE(*wait, std::chrono::milliseconds(500));
  client.transport.handleTimeout();  // too early: nothing to retransmit yet
  EXPECT_EQ(client.sentDatagrams, 1);
  EXPECT_EQ(client.transport.state(), DtlsState::Connecting);
}

TEST_F(DtlsTransportTest, MtuBelowProtocolMinimumFails) {
  DtlsContextOptions options;
  options.mtu = 64;
  DtlsContext tiny(clientCert_, options);
  DtlsTestPeer client(tiny);
  client.transport.start(DtlsRole::Client, "sha-256", serverCert_->fingerprint());
  EXPECT_EQ(client.transport.state(), DtlsState::Failed);
  EXPECT_EQ(client.sentDatagrams, 0);
}

TEST_F(DtlsTransportTest, StartTwiceIsIgnored) {
  DtlsTestPeer client(clientContext_);
  client.transport.start(DtlsRole::Client, "sha-256", serverCert_->fingerprint());
  client.transport.start(DtlsRole::Server, "sha-256", serverCert_->fingerprint());
  EXPECT_EQ(client.transport.role(), DtlsRole::Client);
  EXPECT_EQ(client.outbox.size(), 1u);
}

TEST_F(DtlsTransportTest, ReceiveBeforeStartIsIgnored) {
  DtlsTestPeer server(serverContext_);
  const std::vector<uint8_t> datagram = {0x16, 0xfe, 0xfd, 0x00};
  server.transport.receive(datagram);
  EXPECT_EQ(server.transport.state(), DtlsState::New);
  EXPECT_FALSE(server.transport.timeout().has_value());
}

}  // namespace
}  // namespace diemcau::media
