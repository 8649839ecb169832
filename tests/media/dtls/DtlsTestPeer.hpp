#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "media/dtls/DtlsTransport.hpp"

namespace diemcau::media::test {

/** A DtlsTransport plus a listener that records everything it is told. */
class DtlsTestPeer : public DtlsTransport::Listener {
 public:
  explicit DtlsTestPeer(DtlsContext& context) : transport(context, *this) {}

  void onDtlsSend(std::span<const uint8_t> datagram) override {
    outbox.emplace_back(datagram.begin(), datagram.end());
    ++sentDatagrams;
    largestDatagram = std::max(largestDatagram, datagram.size());
  }
  void onDtlsConnected(const SrtpKeyMaterial& material) override {
    keys = material;
    ++connectedCalls;
  }
  void onDtlsFailed(std::string_view why) override {
    failure = std::string(why);
    ++failedCalls;
  }
  void onDtlsClosed() override { ++closedCalls; }

  DtlsTransport transport;
  std::deque<std::vector<uint8_t>> outbox;
  std::optional<SrtpKeyMaterial> keys;
  std::optional<std::string> failure;
  int connectedCalls = 0;
  int failedCalls = 0;
  int closedCalls = 0;
  int sentDatagrams = 0;
  std::size_t largestDatagram = 0;
};

/** Delivers everything each side has queued to the other until both are quiet; returns datagrams moved. */
inline int pump(DtlsTestPeer& a, DtlsTestPeer& b, bool coalesce = false) {
  int moved = 0;
  auto deliver = [&](DtlsTestPeer& from, DtlsTestPeer& to) {
    if (from.outbox.empty()) return false;
    if (coalesce) {
      // Several DTLS records in one UDP datagram (RFC 6347 §4.1.1), as some stacks send a whole flight.
      std::vector<uint8_t> joined;
      while (!from.outbox.empty()) {
        joined.insert(joined.end(), from.outbox.front().begin(), from.outbox.front().end());
        from.outbox.pop_front();
        ++moved;
      }
      to.transport.receive(joined);
      return true;
    }
    while (!from.outbox.empty()) {
      std::vector<uint8_t> datagram = std::move(from.outbox.front());
      from.outbox.pop_front();
      ++moved;
      to.transport.receive(datagram);
    }
    return true;
  };
  for (int round = 0; round < 50; ++round) {
    const bool ab = deliver(a, b);
    const bool ba = deliver(b, a);
    if (!ab && !ba) break;
  }
  return moved;
}

/** Waits for the transport's timer and fires it, as a worker's event loop would. */
inline void fireTimer(DtlsTestPeer& peer) {
  const auto wait = peer.transport.timeout();
  if (!wait) return;
  std::this_thread::sleep_for(*wait);
  peer.transport.handleTimeout();
}

}  // namespace diemcau::media::test
