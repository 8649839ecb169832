// Two real WebRtcTransports over loopback, each on its own worker with its own DTLS context:
// ICE (libnice) → DTLS 1.2 handshake with fingerprint check → SRTP both ways.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "TransportPeer.hpp"
#include "media/rtp/ReceiverReport.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/worker/InvokeAndWait.hpp"

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;
using test::TransportPeer;

constexpr auto kConnectTimeout = 10s;

IceConfig loopbackConfig(bool controlling, std::chrono::seconds consentTimeout = 10s) {
  IceConfig config;
  config.localAddresses = {"127.0.0.1"};
  config.controlling = controlling;
  config.consentTimeout = consentTimeout;
  return config;
}

// A plain RTP packet: 12-byte header (RFC 3550 §5.1), then `payloadSize` bytes patterned by `seq`.
//   0x80       V=2, no padding, no extension, CC=0
//   0x60       M=0, PT=96
//   seq        16 bits
//   ts         32 bits = seq * 3000
//   0x11111111 SSRC, which the sender's rewrite replaces
std::vector<uint8_t> makeRtp(uint16_t seq, size_t payloadSize) {
  std::vector<uint8_t> p = {0x80, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq), 0, 0, 0, 0,
                            0x11, 0x11, 0x11, 0x11};
  const uint32_t ts = seq * 3000u;
  p[4] = static_cast<uint8_t>(ts >> 24);
  p[5] = static_cast<uint8_t>(ts >> 16);
  p[6] = static_cast<uint8_t>(ts >> 8);
  p[7] = static_cast<uint8_t>(ts);
  for (size_t i = 0; i < payloadSize; ++i) p.push_back(static_cast<uint8_t>(seq * 7 + i));
  return p;
}

std::vector<uint8_t> payloadOf(const std::vector<uint8_t>& packet) { return {packet.begin() + 12, packet.end()}; }

std::vector<uint8_t> makeReceiverReport(uint32_t sender, uint32_t source) {
  rtp::ReportBlock block;
  block.ssrc = source;
  block.fractionLost = 3;
  block.cumulativeLost = 7;
  block.highestSeq = 0x00010020;
  block.jitter = 42;
  std::vector<uint8_t> out(64);
  const size_t size = rtp::ReceiverReport::write(out, sender, {&block, 1});
  out.resize(size);
  return out;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

class WebRtcTransportTest : public ::testing::Test {
 protected:
  void makePair(std::chrono::seconds consentTimeout = 10s) {
    a_ = std::make_unique<TransportPeer>(workerA_, DtlsCertificate::generate(), loopbackConfig(true, consentTimeout));
    b_ = std::make_unique<TransportPeer>(workerB_, DtlsCertificate::generate(), loopbackConfig(false, consentTimeout));
  }
  void connect() {
    TransportPeer::connectPair(*a_, *b_);
    ASSERT_TRUE(a_->waitConnected(kConnectTimeout)) << "DTLS client side did not connect";
    ASSERT_TRUE(b_->waitConnected(kConnectTimeout)) << "DTLS server side did not connect";
  }
  void TearDown() override {
    // Both transports go before either peer object, and each worker then drains whatever the
    // other side posted to it, so no trickled candidate reaches a destroyed peer.
    if (a_) a_->destroy();
    if (b_) b_->destroy();
    invokeAndWait(workerA_, [] {});
    invokeAndWait(workerB_, [] {});
    a_.reset();
    b_.reset();
  }

  SrtpLibrary srtp_;  // outlives the workers' SRTP sessions
  Worker workerA_{"transport-a"};
  Worker workerB_{"transport-b"};
  std::unique_ptr<TransportPeer> a_;  // controlling ICE agent, DTLS client
  std::unique_ptr<TransportPeer> b_;  // controlled ICE agent, DTLS server
};

TEST_F(WebRtcTransportTest, ConnectsAndCarriesRtpBothWaysWithTheRewrittenSsrc) {
  makePair();
  connect();
  EXPECT_EQ(a_->state(), TransportState::Connected);
  EXPECT_EQ(b_->state(), TransportState::Connected);
  EXPECT_EQ(a_->connectedCount(), 1);
  EXPECT_EQ(b_->connectedCount(), 1);

  constexpr uint16_t kCount = 20;
  for (uint16_t seq = 1; seq <= kCount; ++seq) {
    ASSERT_TRUE(a_->sendRtp(makeRtp(seq, 1000), 0xA1A1A1A1)) << seq;
    ASSERT_TRUE(b_->sendRtp(makeRtp(seq, 160), 0xB2B2B2B2)) << seq;
  }
  ASSERT_TRUE(b_->waitRtp(kCount, 5s)) << "only " << b_->rtp().size() << " packets reached B";
  ASSERT_TRUE(a_->waitRtp(kCount, 5s)) << "only " << a_->rtp().size() << " packets reached A";

  const auto atB = b_->rtp();
  const auto atA = a_->rtp();
  ASSERT_EQ(atB.size(), kCount);
  ASSERT_EQ(atA.size(), kCount);
  for (size_t i = 0; i < kCount; ++i) {
    // Loopback keeps order; each packet arrives decrypted, with the sender's rewrite applied.
    const auto seq = static_cast<uint16_t>(i + 1);
    EXPECT_EQ(atB[i].ssrc, 0xA1A1A1A1u);
    EXPECT_EQ(atB[i].sequence, seq);
    EXPECT_EQ(atB[i].payloadType, 96);
    EXPECT_EQ(atB[i].payload, payloadOf(makeRtp(seq, 1000))) << "payload of packet " << seq << " at B";
    EXPECT_EQ(atA[i].ssrc, 0xB2B2B2B2u);
    EXPECT_EQ(atA[i].payload, payloadOf(makeRtp(seq, 160))) << "payload of packet " << seq << " at A";
  }

  const auto statsA = a_->stats();
  const auto statsB = b_->stats();
  EXPECT_EQ(statsA.rtpSent, kCount);
  EXPECT_EQ(statsB.rtpReceived, kCount);
  EXPECT_EQ(statsB.rtpSent, kCount);
  EXPECT_EQ(statsA.rtpReceived, kCount);
  EXPECT_EQ(statsA.srtpErrors + statsB.srtpErrors, 0u);
  EXPECT_EQ(statsA.malformed + statsB.malformed, 0u);
  EXPECT_TRUE(a_->closedReasons().empty());
  EXPECT_TRUE(b_->closedReasons().empty());
}

TEST_F(WebRtcTransportTest, CarriesRtcpBothWaysAsSrtcp) {
  makePair();
  connect();
  const auto fromA = makeReceiverReport(0xA1A1A1A1, 0xB2B2B2B2);
  const auto fromB = makeReceiverReport(0xB2B2B2B2, 0xA1A1A1A1);
  ASSERT_TRUE(a_->sendRtcp(fromA));
  ASSERT_TRUE(b_->sendRtcp(fromB));
  ASSERT_TRUE(b_->waitRtcp(1, 5s));
  ASSERT_TRUE(a_->waitRtcp(1, 5s));
  EXPECT_EQ(b_->rtcp().front(), fromA);
  EXPECT_EQ(a_->rtcp().front(), fromB);
  EXPECT_TRUE(a_->rtp().empty()) << "RTCP must not be delivered as RTP (RFC 5761 §4 demux)";
  EXPECT_EQ(a_->stats().rtcpSent, 1u);
  EXPECT_EQ(b_->stats().rtcpReceived, 1u);
}

TEST_F(WebRtcTransportTest, RefusesToSendBeforeConnected) {
  makePair();
  a_->create();
  EXPECT_FALSE(a_->sendRtp(makeRtp(1, 100), 0xA1A1A1A1));
  EXPECT_FALSE(a_->sendRtcp(makeReceiverReport(1, 2)));
  EXPECT_EQ(a_->stats().sendFailures, 2u);
  EXPECT_EQ(a_->stats().rtpSent, 0u);
}

TEST_F(WebRtcTransportTest, ClientClosesWhenTheServerCertificateDoesNotMatchTheSdp) {
  makePair();
  const auto stranger = DtlsCertificate::generate();
  TransportPeer::connectPair(*a_, *b_, /*clientExpects=*/stranger->fingerprint());
  ASSERT_TRUE(a_->waitClosed(kConnectTimeout));
  EXPECT_TRUE(contains(a_->closedReasons().front(), "fingerprint")) << a_->closedReasons().front();
  EXPECT_EQ(a_->connectedCount(), 0);
  EXPECT_EQ(a_->state(), TransportState::Closed);
  EXPECT_FALSE(a_->sendRtp(makeRtp(1, 100), 0xA1A1A1A1)) << "no keys may be used after a failed check";

  // The server saw a valid handshake; whatever it sends now must not reach the closed client.
  if (b_->waitConnected(2s)) {
    b_->sendRtp(makeRtp(1, 100), 0xB2B2B2B2);
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(a_->rtp().empty());
}

TEST_F(WebRtcTransportTest, BothSidesCloseWhenNeitherCertificateMatches) {
  makePair();
  const auto stranger = DtlsCertificate::generate();
  TransportPeer::connectPair(*a_, *b_, stranger->fingerprint(), stranger->fingerprint());
  ASSERT_TRUE(a_->waitClosed(kConnectTimeout));
  ASSERT_TRUE(b_->waitClosed(kConnectTimeout));
  EXPECT_TRUE(contains(a_->closedReasons().front(), "fingerprint")) << a_->closedReasons().front();
  EXPECT_TRUE(contains(b_->closedReasons().front(), "fingerprint")) << b_->closedReasons().front();
  EXPECT_EQ(a_->connectedCount() + b_->connectedCount(), 0);
}

TEST_F(WebRtcTransportTest, CloseTellsThePeerAtOnce) {
  makePair();
  connect();
  const auto start = std::chrono::steady_clock::now();
  a_->close();
  // close_notify (RFC 5246 §7.2.1), long before the 10 s consent timeout.
  ASSERT_TRUE(b_->waitClosed(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(contains(b_->closedReasons().front(), "closed")) << b_->closedReasons().front();
  EXPECT_TRUE(a_->closedReasons().empty()) << "close() is the owner's own decision, not an event";
  EXPECT_FALSE(a_->sendRtp(makeRtp(1, 100), 0xA1A1A1A1));
}

TEST_F(WebRtcTransportTest, DestroyedPeerIsNoticedAfterTheConsentTimeout) {
  makePair(/*consentTimeout=*/2s);
  connect();
  const auto start = std::chrono::steady_clock::now();
  a_->destroy();
  // No close_notify and no more packets: only RFC 7675 consent expiry can tell B.
  ASSERT_TRUE(b_->waitClosed(6s)) << "B never noticed its peer was gone";
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 1500ms) << "closed before the consent timeout could have run out";
  EXPECT_TRUE(contains(b_->closedReasons().front(), "ICE")) << b_->closedReasons().front();
  // Disconnected, not closed: an ICE restart could still bring it back.
  EXPECT_EQ(b_->state(), TransportState::Disconnected);
  EXPECT_TRUE(a_->closedReasons().empty()) << "a transport must not call its listener from its destructor";
}

TEST_F(WebRtcTransportTest, IceRestartKeepsTheDtlsSessionAndCarriesMediaAgain) {
  makePair();
  connect();
  ASSERT_TRUE(a_->sendRtp(makeRtp(1, 100), 0xA1A1A1A1));
  ASSERT_TRUE(b_->waitRtp(1, 3s));

  TransportPeer::restartPair(*a_, *b_);
  ASSERT_TRUE(a_->waitRecovered(kConnectTimeout)) << "A never came back after the restart";
  ASSERT_TRUE(b_->waitRecovered(kConnectTimeout)) << "B never came back after the restart";
  EXPECT_EQ(a_->state(), TransportState::Connected);
  // No second handshake: onTransportConnected came once, SRTP contexts carried over.
  EXPECT_EQ(a_->connectedCount(), 1);
  EXPECT_EQ(b_->connectedCount(), 1);
  EXPECT_TRUE(a_->closedReasons().empty());
  EXPECT_TRUE(b_->closedReasons().empty());

  // Sequence numbers go on from the first packet: the SRTP replay window accepts them.
  ASSERT_TRUE(a_->sendRtp(makeRtp(2, 100), 0xA1A1A1A1));
  ASSERT_TRUE(b_->sendRtp(makeRtp(7, 60), 0xB2B2B2B2));
  ASSERT_TRUE(b_->waitRtp(2, 3s));
  ASSERT_TRUE(a_->waitRtp(1, 3s));
  EXPECT_EQ(b_->rtp().back().sequence, 2);
  EXPECT_EQ(b_->rtp().back().payload, payloadOf(makeRtp(2, 100)));
  EXPECT_EQ(a_->rtp().back().ssrc, 0xB2B2B2B2u);
  EXPECT_EQ(b_->stats().srtpErrors, 0u);
}

TEST_F(WebRtcTransportTest, ConsentLossThenIceRestartRecovers) {
  makePair(/*consentTimeout=*/2s);
  connect();
  // B alone takes new credentials (its path "changed"): A's consent checks go unanswered and B
  // sends nothing, so A counts the connection as lost after its consent timeout.
  b_->restartIceAlone();
  ASSERT_TRUE(a_->waitClosed(6s)) << "A never noticed";
  EXPECT_EQ(a_->state(), TransportState::Disconnected);
  EXPECT_FALSE(a_->sendRtp(makeRtp(2, 40), 0xA1A1A1A1));
  // The restart both ways (what the re-offer and its answer carry) brings it back.
  TransportPeer::restartPair(*a_, *b_);
  ASSERT_TRUE(a_->waitRecovered(kConnectTimeout));
  ASSERT_TRUE(b_->waitRecovered(kConnectTimeout));
  EXPECT_EQ(a_->connectedCount(), 1);
  ASSERT_TRUE(a_->sendRtp(makeRtp(3, 40), 0xA1A1A1A1));
  ASSERT_TRUE(b_->waitRtp(1, 3s));
  EXPECT_EQ(b_->rtp().back().sequence, 3);
}

}  // namespace
}  // namespace diemcau::media
