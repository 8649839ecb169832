// Consent (RFC 7675) counts only what proves the peer holds the keys, in both ICE modes: a whole
// WebRtcTransport (the bridge's side: lite on a UdpMux, or full on libnice) against a full-ICE
// WebRtcTransport playing the browser. After the handshake the browser side sends either real
// SRTP (consent stays, with no STUN on the lite side) or only junk through its own ICE link —
// RTP-looking datagrams whose auth tag is wrong, from the very address the bridge selected, as a
// spoofer would send them — and the bridge side must lose consent after its timeout regardless.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/DtlsContext.hpp"
#include "media/ice/IceTransport.hpp"
#include "media/ice/LiteIceTransport.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/transport/WebRtcTransport.hpp"
#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Timer.hpp"
#include "tests/media/ice/TransportSide.hpp"

namespace diemcau::media {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kBridgeConsent = 2s;

struct Side : test::TransportSide {
  using TransportSide::TransportSide;

  IceLink* link = nullptr;        // the transport's, worker thread only
  std::unique_ptr<Timer> sender;  // worker thread only
  uint16_t sequence = 100;        // worker thread only
  int disconnected = 0;
  Clock::time_point disconnectedAt;
  int rtp = 0;

  void create(UdpMux* mux) {
    invokeAndWait(worker, [&] {
      dtls = std::make_unique<DtlsContext>(certificate);
      transport = std::make_unique<WebRtcTransport>(worker, *dtls, *this, [&](IceLink::Listener& listener) {
        std::unique_ptr<IceLink> made;
        if (mux != nullptr) {
          made = std::make_unique<LiteIceTransport>(*mux, ice, listener);
        } else {
          made = std::make_unique<IceTransport>(worker, ice, listener);
        }
        link = made.get();
        return made;
      });
    });
  }
  void destroy() {
    invokeAndWait(worker, [&] {
      sender.reset();
      transport.reset();
      link = nullptr;
      dtls.reset();
    });
  }
  /// Every 100 ms from the worker: a real SRTP packet, or a datagram that only looks like one.
  void sendEvery100ms(bool authentic) {
    invokeAndWait(worker, [&] {
      sender = std::make_unique<Timer>(worker, [this, authentic] {
        const uint16_t seq = ++sequence;
        // RTP header (V=2, PT 96, sequence, timestamp, SSRC 0x11111111), 80 bytes of payload.
        std::vector<uint8_t> p = {0x80, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq), 0, 0, 0, 1,
                                  0x11, 0x11, 0x11, 0x11};
        p.resize(p.size() + 80, 0x42);
        if (authentic) {
          transport->sendRtp(p.data(), p.size(), [](rtp::RtpPacket&) {});
        } else {
          p.resize(p.size() + 16, 0x5a);  // where the auth tag would be: not one
          link->send(p.data(), p.size());
        }
      });
      sender->start(100ms, 100ms);
    });
  }

  void onTransportDisconnected(std::string_view) override {
    std::lock_guard lock(mutex);
    if (disconnected++ == 0) disconnectedAt = Clock::now();
    changed.notify_all();
  }
  void onTransportClosed(std::string_view) override {}
  void onRtp(rtp::RtpPacket&) override {
    std::lock_guard lock(mutex);
    ++rtp;
    changed.notify_all();
  }
};

// The parameter: the bridge's side is ICE-lite (true) or full ICE (false).
class AuthenticatedConsentTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    IceConfig bridgeIce;
    bridgeIce.localAddresses = {"127.0.0.1"};
    bridgeIce.lite = GetParam();
    bridgeIce.consentTimeout = kBridgeConsent;
    IceConfig browserIce;
    browserIce.localAddresses = {"127.0.0.1"};
    browserIce.controlling = true;
    browserIce.consentTimeout = 30s;  // only the bridge's consent is under test
    if (GetParam()) {
      mux_ = invokeAndWait(bridgeWorker_, [&] { return std::make_unique<UdpMux>(bridgeWorker_, bridgeIce, 0); });
    }
    browser_ = std::make_unique<Side>(browserWorker_, browserIce);
    bridge_ = std::make_unique<Side>(bridgeWorker_, bridgeIce);
    browser_->remote = bridge_.get();
    bridge_->remote = browser_.get();
  }
  void TearDown() override {
    browser_->destroy();
    bridge_->destroy();
    invokeAndWait(browserWorker_, [] {});
    invokeAndWait(bridgeWorker_, [] {});
    invokeAndWait(bridgeWorker_, [&] { mux_.reset(); });
  }
  void connect() {
    browser_->create(nullptr);
    bridge_->create(mux_.get());
    // The browser is the DTLS client and the controlling agent (RFC 8445 §6.1.1).
    const auto forBrowser = bridge_->paramsForRemote(DtlsRole::Client, /*lite=*/GetParam());
    const auto forBridge = browser_->paramsForRemote(DtlsRole::Server, /*lite=*/false);
    invokeAndWait(browserWorker_, [&] { browser_->transport->setRemote(forBrowser); });
    invokeAndWait(bridgeWorker_, [&] { bridge_->transport->setRemote(forBridge); });
    EXPECT_TRUE(invokeAndWait(browserWorker_, [&] { return browser_->transport->iceControlling(); }));
    EXPECT_FALSE(invokeAndWait(bridgeWorker_, [&] { return bridge_->transport->iceControlling(); }));
    auto gatheredBy = [](Side& side) {
      invokeAndWait(side.worker, [&side] {
        side.transport->gather([&side] {
          test::TransportSide* other = side.remote;
          other->worker.post([other] {
            if (other->transport) other->transport->remoteGatheringDone();
          });
        });
      });
    };
    gatheredBy(*browser_);
    gatheredBy(*bridge_);
    ASSERT_TRUE(browser_->waitFor(10s, [&] { return browser_->connected > 0; })) << "browser side: no DTLS";
    ASSERT_TRUE(bridge_->waitFor(10s, [&] { return bridge_->connected > 0; })) << "bridge side: no DTLS";
  }
  TransportStats bridgeStats() {
    return invokeAndWait(bridgeWorker_, [&] { return bridge_->transport->stats(); });
  }
  uint64_t stunRequests() {
    if (!mux_) return 0;
    return invokeAndWait(bridgeWorker_, [&] { return mux_->stats().stunRequests; });
  }

  SrtpLibrary srtp_;
  Worker browserWorker_{"consent-browser"};
  Worker bridgeWorker_{"consent-bridge"};
  std::unique_ptr<UdpMux> mux_;
  std::unique_ptr<Side> browser_;
  std::unique_ptr<Side> bridge_;
};

TEST_P(AuthenticatedConsentTest, AuthenticatedSrtpAloneKeepsConsent) {
  connect();
  const uint64_t checksBefore = stunRequests();
  browser_->sendEvery100ms(/*authentic=*/true);
  // Two and a half consent timeouts of SRTP and nothing else.
  std::this_thread::sleep_for(kBridgeConsent * 5 / 2);
  EXPECT_EQ(bridge_->disconnected, 0) << "authenticated SRTP did not count as consent";
  EXPECT_GE(bridge_->rtp, 35);
  EXPECT_EQ(bridgeStats().srtpErrors, 0u);
  // No check reached the lite mux meanwhile (libnice as controlling agent sends none after it
  // nominated, with its consent freshness off): SRTP alone did it.
  EXPECT_EQ(stunRequests(), checksBefore);
}

TEST_P(AuthenticatedConsentTest, JunkFromTheSelectedAddressDoesNotKeepConsent) {
  connect();
  browser_->sendEvery100ms(/*authentic=*/true);
  ASSERT_TRUE(bridge_->waitFor(3s, [&] { return bridge_->rtp >= 3; }));
  // From now on only datagrams that fail SRTP authentication, from the peer's own socket. The last
  // authentic packet left at most one period before this.
  const auto lastAuthentic = invokeAndWait(browserWorker_, [&] {
    browser_->sender.reset();
    return Clock::now();
  });
  browser_->sendEvery100ms(/*authentic=*/false);
  ASSERT_TRUE(bridge_->waitFor(kBridgeConsent + 3s, [&] { return bridge_->disconnected > 0; }))
      << "junk from the selected address kept consent alive";
  const auto after = bridge_->disconnectedAt - lastAuthentic;
  EXPECT_GE(after, kBridgeConsent - 250ms) << "consent lost before its timeout";
  EXPECT_LE(after, kBridgeConsent + 1500ms);
  // The junk did reach the transport (it is delivered, it may be DTLS or SRTP) and failed there.
  EXPECT_GE(bridgeStats().srtpErrors, 10u);
  EXPECT_EQ(invokeAndWait(bridgeWorker_, [&] { return bridge_->transport->state(); }), TransportState::Disconnected);
}

INSTANTIATE_TEST_SUITE_P(BothIceModes, AuthenticatedConsentTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& mode) { return mode.param ? "Lite" : "FullIce"; });

}  // namespace
}  // namespace diemcau::media
