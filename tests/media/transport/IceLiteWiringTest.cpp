// How the transport layer wires ICE-lite: the SDP glue reads and writes a=ice-lite, a full-ICE
// transport takes the controlling role when the remote description is lite (RFC 8445 §6.1.1),
// and the media engine hands out one UdpMux per worker only in lite mode.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/DtlsContext.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/transport/MediaEngine.hpp"
#include "media/transport/SdpTransport.hpp"
#include "media/transport/WorkerUdpMuxes.hpp"
#include "media/worker/InvokeAndWait.hpp"

namespace diemcau::media {
namespace {

// A bridge offer with one audio section; `sessionExtra` goes at session level (a=ice-lite is a
// session-level attribute, RFC 8839 §5.3).
std::string offerText(const std::string& sessionExtra) {
  return "v=0\r\n"
         "o=- 1 1 IN IP4 127.0.0.1\r\n"
         "s=-\r\n"
         "t=0 0\r\n" +
         sessionExtra +
         "a=group:BUNDLE 0\r\n"
         "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
         "c=IN IP4 0.0.0.0\r\n"
         "a=mid:0\r\n"
         "a=ice-ufrag:brdg\r\n"
         "a=ice-pwd:bridgepassword0123456789\r\n"
         "a=fingerprint:sha-256 "
         "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\r\n"
         "a=setup:actpass\r\n"
         "a=sendonly\r\n"
         "a=rtcp-mux\r\n"
         "a=rtpmap:111 opus/48000/2\r\n"
         "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\n";
}

IceConfig loopback(bool controlling) {
  IceConfig config;
  config.localAddresses = {"127.0.0.1"};
  config.controlling = controlling;
  return config;
}

class NullListener final : public WebRtcTransport::Listener {
 public:
  void onTransportCandidate(const std::string&) override {}
  void onTransportConnected() override {}
  void onTransportClosed(std::string_view) override {}
  void onRtp(rtp::RtpPacket&) override {}
  void onRtcp(uint8_t*, size_t) override {}
};

TEST(SdpTransportIceLite, RemoteParamsSayWhetherTheRemoteIsLite) {
  EXPECT_TRUE(remoteTransportParams(sdp::parseSdp(offerText("a=ice-lite\r\n")), /*remoteIsOffer=*/true).iceLite);
  EXPECT_FALSE(remoteTransportParams(sdp::parseSdp(offerText("")), /*remoteIsOffer=*/true).iceLite);
}

class IceRoleTest : public ::testing::Test {
 protected:
  // Builds a full-ICE transport (no mux) with `controlling`, applies a remote description with or
  // without a=ice-lite, and returns the role libnice then holds.
  bool roleAfterRemote(bool controlling, bool remoteLite) {
    return invokeAndWait(worker_, [&] {
      WebRtcTransport transport(worker_, dtls_, loopback(controlling), listener_);
      EXPECT_FALSE(transport.iceLite());
      EXPECT_EQ(transport.iceControlling(), controlling);
      EXPECT_FALSE(localTransportParams(transport, *certificate_).iceLite);
      transport.setRemote(remoteTransportParams(sdp::parseSdp(offerText(remoteLite ? "a=ice-lite\r\n" : "")),
                                                /*remoteIsOffer=*/true));
      const bool role = transport.iceControlling();
      transport.close("test done");
      return role;
    });
  }

  SrtpLibrary srtp_;
  Worker worker_{"ice-role"};
  std::shared_ptr<const DtlsCertificate> certificate_ = DtlsCertificate::generate();
  DtlsContext dtls_{certificate_};
  NullListener listener_;
};

TEST_F(IceRoleTest, AnswererOfALiteOfferBecomesControlling) {
  // The load tool's subscriber: created controlled (it answers the bridge's offer), switched by
  // the offer's a=ice-lite.
  EXPECT_TRUE(roleAfterRemote(/*controlling=*/false, /*remoteLite=*/true));
}

TEST_F(IceRoleTest, AnswererOfAFullOfferStaysControlled) {
  EXPECT_FALSE(roleAfterRemote(/*controlling=*/false, /*remoteLite=*/false));
}

TEST_F(IceRoleTest, OffererStaysControllingEitherWay) {
  EXPECT_TRUE(roleAfterRemote(/*controlling=*/true, /*remoteLite=*/true));
  EXPECT_TRUE(roleAfterRemote(/*controlling=*/true, /*remoteLite=*/false));
}

TEST(WorkerUdpMuxesPorts, WorkerIListensOnBasePlusI) {
  EXPECT_EQ(WorkerUdpMuxes::portFor(0, 0), 0);
  EXPECT_EQ(WorkerUdpMuxes::portFor(0, 7), 0);  // ephemeral stays ephemeral
  EXPECT_EQ(WorkerUdpMuxes::portFor(40000, 0), 40000);
  EXPECT_EQ(WorkerUdpMuxes::portFor(40000, 3), 40003);
  EXPECT_EQ(WorkerUdpMuxes::portFor(65534, 1), 65535);
  EXPECT_THROW(WorkerUdpMuxes::portFor(65535, 1), std::invalid_argument);
}

TEST(MediaEngineIceMode, FullIceHasNoMux) {
  SrtpLibrary srtp;
  WorkerPool pool(2);
  MediaEngine engine(pool, loopback(false), DtlsCertificate::generate());
  EXPECT_EQ(engine.udpMux(pool.at(0)), nullptr);
  EXPECT_EQ(engine.udpMux(pool.at(1)), nullptr);
  engine.closeUdpMuxes();  // nothing to close: harmless
}

// A UDP socket bound on 127.0.0.1:`port` (0: ephemeral), closed on destruction; fd -1 when the
// port is taken.
class BoundUdp {
 public:
  explicit BoundUdp(uint16_t port) : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~BoundUdp() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool bound() const { return fd_ >= 0; }
  uint16_t port() const {
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
  }

 private:
  int fd_;
};

IceConfig lite(uint16_t port) {
  IceConfig config = loopback(false);
  config.lite = true;
  config.litePort = port;
  return config;
}

TEST(MediaEngineIceMode, LiteGivesEachWorkerItsOwnMuxOnItsThread) {
  SrtpLibrary srtp;
  WorkerPool pool(2);
  MediaEngine engine(pool, lite(0), DtlsCertificate::generate());
  UdpMux* first = engine.udpMux(pool.at(0));
  UdpMux* second = engine.udpMux(pool.at(1));
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first, second);
  EXPECT_EQ(&first->worker(), &pool.at(0));
  EXPECT_EQ(&second->worker(), &pool.at(1));
  const uint16_t firstPort = invokeAndWait(pool.at(0), [&] { return first->port(); });
  const uint16_t secondPort = invokeAndWait(pool.at(1), [&] { return second->port(); });
  EXPECT_NE(firstPort, 0);
  EXPECT_NE(secondPort, 0);
  EXPECT_NE(firstPort, secondPort);
  // The port is the mux's: nobody else can bind it while the engine lives.
  EXPECT_FALSE(BoundUdp(firstPort).bound());

  engine.closeUdpMuxes();
  EXPECT_EQ(engine.udpMux(pool.at(0)), nullptr);
  EXPECT_EQ(engine.udpMux(pool.at(1)), nullptr);
  EXPECT_TRUE(BoundUdp(firstPort).bound());  // released
  engine.closeUdpMuxes();  // idempotent
}

TEST(MediaEngineIceMode, APortTakenFailsTheEngineAndReleasesTheOthers) {
  SrtpLibrary srtp;
  WorkerPool pool(2);
  // Worker 1 would listen on `taken`, held here; worker 0 on the port below it, checked free.
  BoundUdp holder(0);
  ASSERT_TRUE(holder.bound());
  const uint16_t taken = holder.port();
  ASSERT_GT(taken, 1024);
  const uint16_t base = static_cast<uint16_t>(taken - 1);
  if (!BoundUdp(base).bound()) GTEST_SKIP() << "port " << base << " is in use by another process";

  EXPECT_THROW(MediaEngine(pool, lite(base), DtlsCertificate::generate()), std::runtime_error);
  // Worker 0's mux was built on `base`, then closed when worker 1's bind failed.
  EXPECT_TRUE(BoundUdp(base).bound());
}

// A lite transport whose peer never sends a check fails as a full agent's checks would: the
// listener hears onTransportDisconnected, after the connect deadline (5 s at the least) and not
// before.
TEST(MediaEngineIceMode, LiteTransportThatNobodyReachesIsDisconnected) {
  SrtpLibrary srtp;
  WorkerPool pool(1);
  IceConfig config = lite(0);
  config.consentTimeout = std::chrono::seconds(2);
  MediaEngine engine(pool, config, DtlsCertificate::generate());
  Worker& worker = pool.at(0);

  class Recorder final : public WebRtcTransport::Listener {
   public:
    void onTransportCandidate(const std::string&) override {}
    void onTransportConnected() override {}
    void onTransportClosed(std::string_view) override {}
    void onTransportDisconnected(std::string_view) override { ++disconnected; }
    void onRtp(rtp::RtpPacket&) override {}
    void onRtcp(uint8_t*, size_t) override {}
    std::atomic<int> disconnected{0};
  } recorder;
  std::unique_ptr<WebRtcTransport> transport;
  const auto started = std::chrono::steady_clock::now();
  invokeAndWait(worker, [&] {
    transport = std::make_unique<WebRtcTransport>(worker, engine.dtlsContext(worker), engine.iceConfig(), recorder,
                                                  engine.udpMux(worker));
    ASSERT_TRUE(transport->iceLite());
    EXPECT_FALSE(transport->iceControlling());
    transport->setRemote(remoteTransportParams(sdp::parseSdp(offerText("")), /*remoteIsOffer=*/true));
  });
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(recorder.disconnected.load(), 0) << "failed before the deadline";
  while (recorder.disconnected.load() == 0 && std::chrono::steady_clock::now() - started < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(recorder.disconnected.load(), 1);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(4900));
  EXPECT_EQ(invokeAndWait(worker, [&] { return transport->state(); }), TransportState::Disconnected);
  invokeAndWait(worker, [&] { transport.reset(); });
}

}  // namespace
}  // namespace diemcau::media
