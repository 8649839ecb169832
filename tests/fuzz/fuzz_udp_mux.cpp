// libFuzzer target: the shared-socket ICE-lite datagram path (UdpMux::handleDatagram): RFC 7983
// demux, STUN validation and answer (libnice's STUN library), nomination, source-address lookup
// and delivery to a LiteIceTransport, and the batched send path it replies through.
//
// Input: byte 0 chooses the mode.
//  - even: the rest is one raw datagram, sent from one of three sources (byte 1 picks: the address
//    that was checked, another port on it, an IPv6 address), and also a remote candidate line (shape
//    check, and the address a client would check);
//  - odd: a connectivity check is built with the transport's real credentials (so the integrity
//    check can pass), from parameters in the input (USE-CANDIDATE, controlling, priority,
//    tie-breaker, remote ufrag), then cut at a length and one byte flipped as the input says; the
//    remaining bytes follow as a raw datagram from the same source.
#include <stun/stunagent.h>
#include <stun/usages/ice.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "media/ice/CandidateLine.hpp"
#include "media/ice/LiteIceTransport.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Worker.hpp"

using namespace diemcau::media;

namespace {

volatile uint64_t gSink;

class Sink : public IceLink::Listener {
 public:
  LiteIceTransport* transport = nullptr;
  void onIceCandidate(const std::string&) override {}
  void onIceGatheringDone() override {}
  void onIceStateChanged(IceState) override {}
  void onIcePacket(uint8_t* data, size_t len) override {
    uint64_t acc = len;
    for (size_t i = 0; i < len; ++i) acc += data[i];
    gSink = acc;
    // Answer every delivered datagram: exercises the queue of a batch.
    if (transport != nullptr) transport->send(data, len);
  }
};

// One worker and one mux for the whole run (a socket each); a transport per input.
struct Harness {
  Worker worker{"fuzz-mux"};
  std::unique_ptr<UdpMux> mux;
  Harness() {
    IceConfig config;
    config.localAddresses = {"127.0.0.1"};
    mux = invokeAndWait(worker, [&] { return std::make_unique<UdpMux>(worker, config, 0); });
  }
};

Harness& harness() {
  static auto* instance = new Harness();  // reachable until exit: no leak report, no exit-order trouble
  return *instance;
}

sockaddr_storage sourceAddress(uint8_t pick, socklen_t& length) {
  sockaddr_storage storage{};
  if (pick % 3 == 2) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(9);
    inet_pton(AF_INET6, "2001:db8::9", &in6->sin6_addr);
    length = sizeof(sockaddr_in6);
    return storage;
  }
  auto* in = reinterpret_cast<sockaddr_in*>(&storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(pick % 3 == 0 ? 9 : 7);  // discard / echo ports: nobody answers on loopback
  inet_pton(AF_INET, "127.0.0.1", &in->sin_addr);
  length = sizeof(sockaddr_in);
  return storage;
}

void feed(UdpMux& mux, const uint8_t* data, size_t size, const sockaddr_storage& from, socklen_t fromLength) {
  // An exact-size heap copy: a read past the end is an ASan report.
  std::vector<uint8_t> datagram(data, data + size);
  mux.handleDatagram(0, datagram.data(), datagram.size(), reinterpret_cast<const sockaddr*>(&from), fromLength);
}

void run(UdpMux& mux, LiteIceTransport& transport, const uint8_t* data, size_t size) {
  if (size < 2) return;
  socklen_t fromLength = 0;
  const sockaddr_storage from = sourceAddress(data[1], fromLength);
  if ((data[0] & 1) == 0) {
    feed(mux, data + 2, size - 2, from, fromLength);
    // The same bytes as a trickled remote candidate (signaling input, checked for shape only).
    const std::string_view line(reinterpret_cast<const char*>(data + 2), size - 2);
    gSink = CandidateLine::wellFormed(line);
    // And as a client of a lite peer reads it: the address and port it would check.
    if (const auto target = CandidateLine::udpTarget(line)) gSink = target->port + target->priority + target->ip.size();
    return;
  }
  // Template mode: 2 flags, 4 priority, 8 tie-breaker, 1 ufrag length, 2 cut, 2 flip, ufrag bytes.
  constexpr size_t kFixed = 2 + 1 + 4 + 8 + 1 + 2 + 2;
  if (size < kFixed) return;
  const uint8_t flags = data[2];
  uint32_t priority = 0;
  for (size_t i = 3; i < 7; ++i) priority = (priority << 8) | data[i];
  uint64_t tie = 0;
  for (size_t i = 7; i < 15; ++i) tie = (tie << 8) | data[i];
  const size_t remoteLength = std::min<size_t>(data[15] % 64, size - kFixed);
  const size_t cut = (size_t{data[16]} << 8) | data[17];
  const size_t flip = (size_t{data[18]} << 8) | data[19];
  std::string username = transport.localUfrag() + ":" + std::string(reinterpret_cast<const char*>(data + kFixed), remoteLength);
  if ((flags & 4) != 0) username = std::string(reinterpret_cast<const char*>(data + kFixed), remoteLength);
  StunAgent agent;
  stun_agent_init(&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                  static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                   STUN_AGENT_USAGE_USE_FINGERPRINT));
  std::vector<uint8_t> buffer(1500);
  StunMessage message;
  const std::string& pwd = transport.localPwd();
  size_t length = stun_usage_ice_conncheck_create(
      &agent, &message, buffer.data(), buffer.size(), reinterpret_cast<const uint8_t*>(username.data()),
      username.size(), reinterpret_cast<const uint8_t*>(pwd.data()), pwd.size(), (flags & 1) != 0, (flags & 2) != 0,
      priority, tie, nullptr, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
  if (length == 0) return;
  if ((flags & 8) != 0 && cut < length) length = cut;
  if ((flags & 16) != 0 && length > 0) buffer[flip % length] ^= static_cast<uint8_t>(1u << (flip >> 13));
  feed(mux, buffer.data(), length, from, fromLength);
  const size_t rest = kFixed + remoteLength;
  feed(mux, data + rest, size - rest, from, fromLength);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Harness& h = harness();
  invokeAndWait(h.worker, [&] {
    Sink sink;
    IceConfig config;
    auto transport = std::make_unique<LiteIceTransport>(*h.mux, config, sink);
    sink.transport = transport.get();
    run(*h.mux, *transport, data, size);
    gSink = h.mux->stats().datagramsIn + static_cast<uint64_t>(transport->state());
    transport->close();
    sink.transport = nullptr;
  });
  return 0;
}
