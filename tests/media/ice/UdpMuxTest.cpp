// UdpMux on its own: binding, addresses, and datagrams handed in with handleDatagram or sent from
// a plain socket, with a LiteIceTransport whose checks are written by libnice's STUN library.
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

#include <chrono>
#include <thread>
#include <vector>

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;

IceConfig configFor(std::vector<std::string> addresses) {
  IceConfig config;
  config.localAddresses = std::move(addresses);
  config.consentTimeout = 2s;
  return config;
}

struct Recorder : IceLink::Listener {
  std::vector<std::string> candidates;
  bool gatheringDone = false;
  std::vector<IceState> states;
  std::vector<std::vector<uint8_t>> packets;
  void onIceCandidate(const std::string& c) override { candidates.push_back(c); }
  void onIceGatheringDone() override { gatheringDone = true; }
  void onIceStateChanged(IceState s) override { states.push_back(s); }
  void onIcePacket(uint8_t* data, size_t len) override { packets.emplace_back(data, data + len); }
};

sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  return address;
}

// A listener that authenticates as WebRtcTransport would: here a packet is "authentic" when its
// last byte is 0xaa (standing in for an SRTP auth tag that verified).
struct Authenticator : Recorder {
  LiteIceTransport* transport = nullptr;
  void onIcePacket(uint8_t* data, size_t len) override {
    Recorder::onIcePacket(data, len);
    if (len > 0 && data[len - 1] == 0xaa && transport != nullptr) transport->noteAuthenticated();
  }
};

// A Binding request as a controlling full agent sends it: USERNAME "<ufrag>:peer", PRIORITY,
// ICE-CONTROLLING, optional USE-CANDIDATE, MESSAGE-INTEGRITY keyed by `pwd`, FINGERPRINT.
std::vector<uint8_t> check(const std::string& ufrag, const std::string& pwd, bool useCandidate,
                           uint32_t priority = 0x6e0001ff) {
  StunAgent agent;
  stun_agent_init(&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                  static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                   STUN_AGENT_USAGE_USE_FINGERPRINT));
  std::vector<uint8_t> buffer(512);
  StunMessage message;
  const std::string username = ufrag + ":peer";
  const size_t length = stun_usage_ice_conncheck_create(
      &agent, &message, buffer.data(), buffer.size(), reinterpret_cast<const uint8_t*>(username.data()),
      username.size(), reinterpret_cast<const uint8_t*>(pwd.data()), pwd.size(), useCandidate, true, priority, 42,
      nullptr, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
  buffer.resize(length);
  return buffer;
}

class UdpMuxTest : public ::testing::Test {
 protected:
  template <typename Fn>
  auto onWorker(Fn&& fn) {
    return invokeAndWait(worker_, std::forward<Fn>(fn));
  }
  Worker worker_{"mux-test"};
};

TEST_F(UdpMuxTest, BindsEveryAddressOnOnePortAndWritesACandidateForEach) {
  const bool haveV6 = ::access("/proc/net/if_inet6", F_OK) == 0;
  auto addresses = haveV6 ? std::vector<std::string>{"127.0.0.1", "::1"} : std::vector<std::string>{"127.0.0.1"};
  onWorker([&] {
    UdpMux mux(worker_, configFor(addresses), 0);
    EXPECT_NE(mux.port(), 0);
    ASSERT_EQ(mux.socketCount(), addresses.size());
    Recorder recorder;
    LiteIceTransport transport(mux, configFor(addresses), recorder);
    const auto lines = transport.localCandidates();
    ASSERT_EQ(lines.size(), addresses.size());
    const std::string port = std::to_string(mux.port());
    EXPECT_EQ(lines[0], "candidate:1 1 udp 2130706431 127.0.0.1 " + port + " typ host");
    if (haveV6) {
      EXPECT_EQ(lines[1], "candidate:2 1 udp 2130706175 ::1 " + port + " typ host");
    }
  });
}

TEST_F(UdpMuxTest, GatheringReportsFromTheLoopNotFromInsideGather) {
  auto mux = onWorker([&] { return std::make_unique<UdpMux>(worker_, configFor({"127.0.0.1"}), 0); });
  Recorder recorder;
  std::unique_ptr<LiteIceTransport> transport;
  const bool synchronous = onWorker([&] {
    transport = std::make_unique<LiteIceTransport>(*mux, configFor({"127.0.0.1"}), recorder);
    transport->gather();
    return recorder.gatheringDone || !recorder.candidates.empty();
  });
  EXPECT_FALSE(synchronous);
  onWorker([] {});  // the zero-delay timer has run by the time a later task does
  std::this_thread::sleep_for(20ms);
  onWorker([&] {
    EXPECT_TRUE(recorder.gatheringDone);
    EXPECT_EQ(recorder.candidates, transport->localCandidates());
    transport.reset();
    mux.reset();
  });
}

TEST_F(UdpMuxTest, ABadAddressOrABusyPortIsAConfigError) {
  onWorker([&] {
    EXPECT_THROW(UdpMux(worker_, configFor({"not-an-ip"}), 0), std::invalid_argument);
    UdpMux first(worker_, configFor({"127.0.0.1"}), 0);
    EXPECT_THROW(UdpMux(worker_, configFor({"127.0.0.1"}), first.port()), std::runtime_error);
  });
}

TEST_F(UdpMuxTest, ValidChecksSelectAndNominateThenDataFromThatAddressIsDelivered) {
  onWorker([&] {
    UdpMux mux(worker_, configFor({"127.0.0.1"}), 0);
    Recorder recorder;
    LiteIceTransport transport(mux, configFor({"127.0.0.1"}), recorder);
    const auto first = loopback(40001);
    const auto second = loopback(40002);
    auto from = [](const sockaddr_in& a) { return reinterpret_cast<const sockaddr*>(&a); };

    // RTP-looking datagram (0x80) before any check: nobody owns the source.
    std::vector<uint8_t> rtp = {0x80, 0x60, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 0xaa};
    mux.handleDatagram(0, rtp.data(), rtp.size(), from(first), sizeof first);
    EXPECT_EQ(mux.stats().unknownSource, 1u);
    EXPECT_TRUE(recorder.packets.empty());

    // A check without USE-CANDIDATE from `first`: provisional selection, Connected.
    auto request = check(transport.localUfrag(), transport.localPwd(), false);
    mux.handleDatagram(0, request.data(), request.size(), from(first), sizeof first);
    EXPECT_EQ(mux.stats().stunRequests, 1u);
    EXPECT_EQ(recorder.states, std::vector<IceState>{IceState::Connected});
    ASSERT_TRUE(transport.selectedAddress());
    EXPECT_EQ(transport.selectedAddress()->port, 40001);
    EXPECT_FALSE(transport.nominated());

    // A plain check from `second` does not move it; a nominating one does.
    request = check(transport.localUfrag(), transport.localPwd(), false);
    mux.handleDatagram(0, request.data(), request.size(), from(second), sizeof second);
    EXPECT_EQ(transport.selectedAddress()->port, 40001);
    request = check(transport.localUfrag(), transport.localPwd(), true);
    mux.handleDatagram(0, request.data(), request.size(), from(second), sizeof second);
    EXPECT_EQ(transport.selectedAddress()->port, 40002);
    EXPECT_TRUE(transport.nominated());

    // Data: from the selected address it is delivered, from the old one it is not.
    mux.handleDatagram(0, rtp.data(), rtp.size(), from(second), sizeof second);
    mux.handleDatagram(0, rtp.data(), rtp.size(), from(first), sizeof first);
    ASSERT_EQ(recorder.packets.size(), 1u);
    EXPECT_EQ(recorder.packets[0], rtp);
    EXPECT_EQ(mux.stats().unknownSource, 2u);

    // Three answers to three checks, each sent (to ports nobody listens on; UDP does not care).
    EXPECT_EQ(mux.stats().datagramsOut, 3u);
    // A STUN-range byte that is not STUN, a too-short address, an empty datagram: counted, no crash.
    uint8_t junk[3] = {0x01, 0x02, 0x03};
    mux.handleDatagram(0, junk, sizeof junk, from(second), sizeof second);
    mux.handleDatagram(0, rtp.data(), rtp.size(), from(second), 2);
    mux.handleDatagram(0, junk, 0, from(second), sizeof second);
    mux.handleDatagram(7, rtp.data(), rtp.size(), from(second), sizeof second);  // no such socket: ignored
    EXPECT_EQ(recorder.packets.size(), 1u);
    EXPECT_EQ(mux.stats().stunRejected, 1u);   // the junk
    EXPECT_EQ(mux.stats().unknownSource, 3u);  // + the datagram whose address was too short
  });
}

TEST_F(UdpMuxTest, AfterARestartTheOldPathCarriesTrafficUntilACheckWithTheNewCredentials) {
  onWorker([&] {
    UdpMux mux(worker_, configFor({"127.0.0.1"}), 0);
    Recorder recorder;
    LiteIceTransport transport(mux, configFor({"127.0.0.1"}), recorder);
    const auto oldPath = loopback(40011);
    const auto newPath = loopback(40012);
    auto from = [](const sockaddr_in& a) { return reinterpret_cast<const sockaddr*>(&a); };
    auto request = check(transport.localUfrag(), transport.localPwd(), true);
    mux.handleDatagram(0, request.data(), request.size(), from(oldPath), sizeof oldPath);
    const std::string oldUfrag = transport.localUfrag();
    const std::string oldPwd = transport.localPwd();

    transport.restart();
    EXPECT_NE(transport.localUfrag(), oldUfrag);
    EXPECT_NE(transport.localPwd(), oldPwd);
    EXPECT_EQ(recorder.states, (std::vector<IceState>{IceState::Connected, IceState::New}));
    // The old path still works both ways.
    uint8_t rtp[20] = {0x80};
    EXPECT_EQ(transport.send(rtp, sizeof rtp), static_cast<int>(sizeof rtp));
    mux.handleDatagram(0, rtp, sizeof rtp, from(oldPath), sizeof oldPath);
    EXPECT_EQ(recorder.packets.size(), 1u);
    // The old credentials are gone: a check with them is rejected.
    request = check(oldUfrag, oldPwd, true);
    mux.handleDatagram(0, request.data(), request.size(), from(newPath), sizeof newPath);
    EXPECT_EQ(mux.stats().stunRejected, 1u);
    EXPECT_EQ(transport.selectedAddress()->port, 40011);
    // A check with the new ones, from the new path, switches.
    request = check(transport.localUfrag(), transport.localPwd(), false);
    mux.handleDatagram(0, request.data(), request.size(), from(newPath), sizeof newPath);
    EXPECT_EQ(transport.selectedAddress()->port, 40012);
    EXPECT_EQ(recorder.states.back(), IceState::Connected);
    mux.handleDatagram(0, rtp, sizeof rtp, from(oldPath), sizeof oldPath);
    EXPECT_EQ(recorder.packets.size(), 1u);
  });
}

TEST_F(UdpMuxTest, AfterConsentLossChecksWithTheOldCredentialsAreRefused) {
  IceConfig config = configFor({"127.0.0.1"});
  config.consentTimeout = 1s;
  auto mux = onWorker([&] { return std::make_unique<UdpMux>(worker_, config, 0); });
  Recorder recorder;
  auto transport = onWorker([&] { return std::make_unique<LiteIceTransport>(*mux, config, recorder); });
  const auto peer = loopback(40031);
  auto feedCheck = [&] {
    onWorker([&] {
      auto request = check(transport->localUfrag(), transport->localPwd(), true);
      mux->handleDatagram(0, request.data(), request.size(), reinterpret_cast<const sockaddr*>(&peer), sizeof peer);
    });
  };
  feedCheck();
  std::this_thread::sleep_for(1700ms);  // timeout + the mux's 500 ms consent period + margin
  onWorker([&] {
    EXPECT_EQ(recorder.states, (std::vector<IceState>{IceState::Connected, IceState::Failed}));
    EXPECT_FALSE(transport->selectedAddress());
  });
  feedCheck();
  onWorker([&] {
    EXPECT_EQ(mux->stats().stunRequests, 1u);
    EXPECT_EQ(mux->stats().stunRejected, 1u);
    EXPECT_EQ(recorder.states.back(), IceState::Failed);
    // A restart takes new credentials, and the first check with them connects again.
    transport->restart();
  });
  feedCheck();
  onWorker([&] {
    EXPECT_EQ(recorder.states, (std::vector<IceState>{IceState::Connected, IceState::Failed, IceState::New,
                                                      IceState::Connected}));
    transport.reset();
    mux.reset();
  });
}

// RFC 7675 consent from what authenticated only: two transports on one mux, each peer sending a
// datagram every 100 ms from its selected address; one peer's are authentic, the other's junk.
// Both are delivered; only the junk sender's transport loses consent.
TEST_F(UdpMuxTest, OnlyAuthenticatedDatagramsKeepConsent) {
  IceConfig config = configFor({"127.0.0.1"});
  config.consentTimeout = 1s;
  auto mux = onWorker([&] { return std::make_unique<UdpMux>(worker_, config, 0); });
  Authenticator honest;
  Authenticator spoofed;
  auto honestSide = onWorker([&] { return std::make_unique<LiteIceTransport>(*mux, config, honest); });
  auto spoofedSide = onWorker([&] { return std::make_unique<LiteIceTransport>(*mux, config, spoofed); });
  honest.transport = honestSide.get();
  spoofed.transport = spoofedSide.get();
  const auto honestPeer = loopback(40051);
  const auto spoofedPeer = loopback(40052);
  auto feed = [&](LiteIceTransport& transport, const sockaddr_in& peer, std::vector<uint8_t> datagram) {
    onWorker([&] {
      mux->handleDatagram(0, datagram.data(), datagram.size(), reinterpret_cast<const sockaddr*>(&peer), sizeof peer);
      return transport.state();
    });
  };
  feed(*honestSide, honestPeer, check(honestSide->localUfrag(), honestSide->localPwd(), true));
  feed(*spoofedSide, spoofedPeer, check(spoofedSide->localUfrag(), spoofedSide->localPwd(), true));
  // RTP-looking datagrams (0x80): the last byte says whether the "tag" verified.
  for (int i = 0; i < 18; ++i) {  // 1.8 s: past the timeout and the mux's next 500 ms sweep
    feed(*honestSide, honestPeer, {0x80, 0x60, 0, static_cast<uint8_t>(i), 0, 0, 0, 1, 1, 2, 3, 4, 0xaa});
    feed(*spoofedSide, spoofedPeer, {0x80, 0x60, 0, static_cast<uint8_t>(i), 0, 0, 0, 1, 1, 2, 3, 4, 0x55});
    std::this_thread::sleep_for(100ms);
  }
  onWorker([&] {
    EXPECT_EQ(honest.states, std::vector<IceState>{IceState::Connected});
    EXPECT_EQ(spoofed.states, (std::vector<IceState>{IceState::Connected, IceState::Failed}));
    EXPECT_EQ(honest.packets.size(), 18u);
    EXPECT_GE(spoofed.packets.size(), 9u) << "junk from the selected address is still delivered until consent ends";
    EXPECT_FALSE(spoofedSide->selectedAddress());
    honestSide.reset();
    spoofedSide.reset();
    mux.reset();
  });
}

// RFC 8445 §8.1.1: of several nominated pairs the one of highest priority is used. A later
// nomination of a lower-priority pair leaves a nominated path that carries authenticated traffic;
// a higher one takes it; once the path has been quiet (kPathQuiet here) a lower one takes it too,
// as a real network change must, and before the path's consent runs out.
TEST_F(UdpMuxTest, ALowerPriorityNominationMovesOnlyAQuietPath) {
  IceConfig config = configFor({"127.0.0.1"});
  config.consentTimeout = 4s;  // quiet after min(2 s, 4 s / 2)
  static_assert(LiteIceTransport::kPathQuiet == 2s);
  auto mux = onWorker([&] { return std::make_unique<UdpMux>(worker_, config, 0); });
  Authenticator listener;
  auto transport = onWorker([&] { return std::make_unique<LiteIceTransport>(*mux, config, listener); });
  listener.transport = transport.get();
  const auto wifi = loopback(40061);
  const auto cellular = loopback(40062);
  std::vector<uint8_t> media = {0x80, 0x60, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4, 0xaa};
  auto feed = [&](const sockaddr_in& from, std::vector<uint8_t> datagram) {
    return onWorker([&] {
      mux->handleDatagram(0, datagram.data(), datagram.size(), reinterpret_cast<const sockaddr*>(&from), sizeof from);
      return transport->selectedAddress() ? transport->selectedAddress()->port : uint16_t{0};
    });
  };
  auto nominate = [&](const sockaddr_in& from, uint32_t priority) {
    return feed(from, onWorker([&] { return check(transport->localUfrag(), transport->localPwd(), true, priority); }));
  };
  constexpr uint32_t kHost = 0x7e00ffff;   // type preference 126
  constexpr uint32_t kSrflx = 0x6400ffff;  // 100
  constexpr uint32_t kBetter = 0x7e01ffff;
  EXPECT_EQ(nominate(wifi, kHost), 40061);
  EXPECT_EQ(feed(wifi, media), 40061);
  EXPECT_EQ(nominate(cellular, kSrflx), 40061) << "a lower nominated pair took a busy path";
  EXPECT_EQ(feed(cellular, media), 40061);     // and what it sends is not for this transport
  EXPECT_EQ(listener.packets.size(), 1u);
  EXPECT_EQ(nominate(cellular, kBetter), 40062) << "a higher nominated pair must take it";
  EXPECT_EQ(nominate(wifi, kHost), 40062);
  // The path goes quiet (nothing authenticated from 40062): the lower nomination may move it.
  std::this_thread::sleep_for(2100ms);
  EXPECT_EQ(nominate(wifi, kHost), 40061);
  onWorker([&] {
    EXPECT_TRUE(transport->nominated());
    EXPECT_EQ(listener.states, std::vector<IceState>{IceState::Connected});
    transport.reset();
    mux.reset();
  });
}

TEST_F(UdpMuxTest, AnAddressTakenByAnotherTransportFailsTheOneThatHadIt) {
  onWorker([&] {
    UdpMux mux(worker_, configFor({"127.0.0.1"}), 0);
    Recorder oldRecorder;
    Recorder newRecorder;
    LiteIceTransport oldSession(mux, configFor({"127.0.0.1"}), oldRecorder);
    LiteIceTransport newSession(mux, configFor({"127.0.0.1"}), newRecorder);
    const auto peer = loopback(40041);
    auto request = check(oldSession.localUfrag(), oldSession.localPwd(), true);
    mux.handleDatagram(0, request.data(), request.size(), reinterpret_cast<const sockaddr*>(&peer), sizeof peer);
    // The same peer address now checks for the other transport (a reconnect reusing its port).
    request = check(newSession.localUfrag(), newSession.localPwd(), true);
    mux.handleDatagram(0, request.data(), request.size(), reinterpret_cast<const sockaddr*>(&peer), sizeof peer);
    EXPECT_EQ(oldRecorder.states, (std::vector<IceState>{IceState::Connected, IceState::Failed}));
    EXPECT_EQ(newRecorder.states, std::vector<IceState>{IceState::Connected});
    uint8_t rtp[20] = {0x80};
    EXPECT_EQ(oldSession.send(rtp, sizeof rtp), -1);
    EXPECT_EQ(newSession.send(rtp, sizeof rtp), static_cast<int>(sizeof rtp));
    mux.handleDatagram(0, rtp, sizeof rtp, reinterpret_cast<const sockaddr*>(&peer), sizeof peer);
    EXPECT_TRUE(oldRecorder.packets.empty());
    EXPECT_EQ(newRecorder.packets.size(), 1u);
  });
}

TEST_F(UdpMuxTest, SendsOfABatchLeaveTogether) {
  // One datagram in makes the listener send 300: more than the 256-slot pool.
  struct Fanout : IceLink::Listener {
    LiteIceTransport* transport = nullptr;
    void onIceCandidate(const std::string&) override {}
    void onIceGatheringDone() override {}
    void onIceStateChanged(IceState) override {}
    void onIcePacket(uint8_t* data, size_t len) override {
      for (int i = 0; i < 300; ++i) transport->send(data, len);
    }
  };
  onWorker([&] {
    UdpMux mux(worker_, configFor({"127.0.0.1"}), 0);
    Fanout fanout;
    LiteIceTransport sender(mux, configFor({"127.0.0.1"}), fanout);
    fanout.transport = &sender;
    const auto peer = loopback(40021);  // nobody listens: UDP sends regardless
    auto request = check(sender.localUfrag(), sender.localPwd(), true);
    mux.handleDatagram(0, request.data(), request.size(), reinterpret_cast<const sockaddr*>(&peer), sizeof peer);
    const auto start = mux.stats();
    uint8_t rtp[100] = {0x80};
    mux.handleDatagram(0, rtp, sizeof rtp, reinterpret_cast<const sockaddr*>(&peer), sizeof peer);
    EXPECT_EQ(mux.stats().datagramsOut - start.datagramsOut, 300u);
    EXPECT_EQ(mux.stats().sendCalls - start.sendCalls, 2u);  // the pool filled once (256), the rest at the end
    EXPECT_EQ(mux.stats().sendErrors, 0u);
    // Outside a batch (a timer, a task) a send is one sendto at once.
    EXPECT_EQ(sender.send(rtp, sizeof rtp), static_cast<int>(sizeof rtp));
    EXPECT_EQ(mux.stats().sendCalls - start.sendCalls, 3u);
  });
}

}  // namespace
}  // namespace diemcau::media
