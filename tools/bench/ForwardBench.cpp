// The whole per-packet forwarding path of the bridge, and its 1→N fan-out:
//
//   receive buffer ─► SRTP unprotect (publisher's key) ─► RtpPacket::parse
//                  ─► per subscriber: copy to scratch, rewrite SSRC/seq/ts, SRTP protect (its key)
//
// Sockets and routing lookups are not included: this is the crypto and packet-view cost the CPU pays
// for every forwarded packet, the part that bounds how many sites one core can serve.
#include <benchmark/benchmark.h>

#include <vector>

#include "media/rtp/RtpPacket.hpp"
#include "tools/bench/BenchProfiles.hpp"
#include "tools/bench/DownstreamLeg.hpp"
#include "tools/bench/ProtectedRing.hpp"

namespace diemcau::tools::bench {
namespace {

void setRates(benchmark::State& state, size_t packetSize, size_t forwardsPerIteration) {
  const auto forwards = static_cast<int64_t>(state.iterations() * forwardsPerIteration);
  state.SetItemsProcessed(forwards);
  state.SetBytesProcessed(forwards * static_cast<int64_t>(packetSize));
  // Seconds per forwarded packet, printed next to the table's per-iteration time.
  state.counters["per_fwd"] = benchmark::Counter(static_cast<double>(forwardsPerIteration),
                                                 benchmark::Counter::kIsIterationInvariantRate |
                                                     benchmark::Counter::kInvert);
}

// One inbound packet forwarded to `legs.size()` subscribers.
void runForward(benchmark::State& state, media::SrtpProfile profile, size_t packetSize, size_t fanOut) {
  const ProtectedRing ring(profile, packetSize, kRingPackets);
  InboundFeed feed(ring);
  std::vector<DownstreamLeg> legs;
  legs.reserve(fanOut);
  for (size_t i = 0; i < fanOut; ++i) legs.emplace_back(profile, static_cast<uint8_t>(i + 1));
  std::vector<uint8_t> rx(packetSize + media::kSrtpMaxTrailer);

  for (auto _ : state) {
    size_t len = feed.receive(state, rx.data());
    if (feed.session().unprotectRtp(rx.data(), len) != media::SrtpResult::Ok) {
      state.SkipWithError("unprotect failed");
      break;
    }
    auto packet = media::rtp::RtpPacket::parse(rx.data(), len);
    if (!packet) {
      state.SkipWithError("parse failed");
      break;
    }
    bool sent = true;
    for (auto& leg : legs) {
      sent = leg.forward(*packet) != 0 && sent;
      benchmark::DoNotOptimize(leg.scratch());
    }
    benchmark::ClobberMemory();
    if (!sent) {
      state.SkipWithError("protect failed");
      break;
    }
  }
  setRates(state, packetSize, fanOut);
}

void BM_Forward(benchmark::State& state, media::SrtpProfile profile) {
  runForward(state, profile, static_cast<size_t>(state.range(0)), 1);
}

void BM_FanOut(benchmark::State& state, media::SrtpProfile profile) {
  runForward(state, profile, 1200, static_cast<size_t>(state.range(0)));
}

BENCHMARK_CAPTURE(BM_Forward, gcm, kGcm)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK_CAPTURE(BM_Forward, sha1_80, kSha1)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK_CAPTURE(BM_FanOut, gcm, kGcm)->ArgName("subscribers")->Arg(10)->Arg(50);
BENCHMARK_CAPTURE(BM_FanOut, sha1_80, kSha1)->ArgName("subscribers")->Arg(10)->Arg(50);

}  // namespace
}  // namespace diemcau::tools::bench
