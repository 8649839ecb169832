#pragma once
// Counters of the sites living on one media worker. Written only by that worker's thread; the
// progress line reads them from the main thread, hence relaxed atomics with a single writer
// (a load and a store, no locked read-modify-write on the packet path). The histograms are read
// only while the worker is idle or from the worker itself.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

#include "tools/load/LatencyHistogram.hpp"
#include "tools/load/LatencyTrace.hpp"
#include "tools/load/PayloadStamp.hpp"

namespace diemcau::load {

struct KindCounters {
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> duplicates{0};
};

struct WorkerStats {
  std::array<KindCounters, 2> kinds;  // by StreamKind
  std::atomic<uint64_t> unknownPackets{0};
  std::atomic<uint64_t> keyframeRequests{0};
  std::atomic<uint64_t> plisSent{0};
  std::atomic<uint64_t> sendFailures{0};
  std::atomic<uint64_t> subscribeOffers{0};      // the bridge's subscriber offers (renegotiations)
  std::atomic<uint64_t> subscribeOfferBytes{0};  // their SDP, bytes
  std::atomic<uint64_t> clientIceConnections{0};   // connections made on the minimal ICE client
  std::atomic<uint64_t> clientLiteConnections{0};  // of which answering a full peer's checks (lite role)
  std::atomic<uint64_t> libniceConnections{0};     // connections made on a libnice agent
  std::array<LatencyHistogram, 2> latency;  // by StreamKind
  // With --arrival-times (connections on the minimal ICE client only): the same one-way time up to
  // the moment the kernel queued the datagram on the site's socket, and what it then waited there
  // and in the worker's loop until the site handled it.
  std::array<LatencyHistogram, 2> socketLatency;  // by StreamKind
  LatencyHistogram receiveDelay;
  std::unique_ptr<LatencyTrace> trace;  // --latency-trace only

  static void bump(std::atomic<uint64_t>& counter, uint64_t by = 1) {
    counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }
  KindCounters& of(StreamKind kind) { return kinds[static_cast<size_t>(kind)]; }
};

}  // namespace diemcau::load
