// Each stage of the forwarding path on its own, to see where the time of BM_Forward goes.
// BM_ReceiveCopy is the baseline every receive-side number below includes (see ProtectedRing.hpp).
#include <benchmark/benchmark.h>

#include <vector>

#include "media/rtp/ReceiverReport.hpp"
#include "media/rtp/RtcpFeedback.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/RtpPacket.hpp"
#include "media/rtp/SenderReport.hpp"
#include "tools/bench/BenchProfiles.hpp"
#include "tools/bench/DownstreamLeg.hpp"
#include "tools/bench/PacketFactory.hpp"
#include "tools/bench/ProtectedRing.hpp"

namespace diemcau::tools::bench {
namespace {

void setRates(benchmark::State& state, size_t packetSize) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(packetSize));
}

// Only the copy of a protected packet from the ring into the receive buffer.
void BM_ReceiveCopy(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const ProtectedRing ring(kGcm, size, kRingPackets);
  InboundFeed feed(ring);
  std::vector<uint8_t> rx(size + media::kSrtpMaxTrailer);
  for (auto _ : state) {
    benchmark::DoNotOptimize(feed.receive(state, rx.data()));
    benchmark::ClobberMemory();
  }
  setRates(state, size);
}

void BM_Parse(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  auto packet = makeRtpPacket(size, 1, 3000, 0x11111111);
  for (auto _ : state) {
    benchmark::DoNotOptimize(packet.data());
    auto view = media::rtp::RtpPacket::parse(packet.data(), packet.size());
    benchmark::DoNotOptimize(view);
  }
  setRates(state, size);
}

// Receive copy + in-place SRTP decryption and authentication of a first-seen packet.
void BM_Unprotect(benchmark::State& state, media::SrtpProfile profile) {
  const size_t size = static_cast<size_t>(state.range(0));
  const ProtectedRing ring(profile, size, kRingPackets);
  InboundFeed feed(ring);
  std::vector<uint8_t> rx(size + media::kSrtpMaxTrailer);
  for (auto _ : state) {
    size_t len = feed.receive(state, rx.data());
    if (feed.session().unprotectRtp(rx.data(), len) != media::SrtpResult::Ok) {
      state.SkipWithError("unprotect failed");
      break;
    }
    benchmark::DoNotOptimize(rx.data());
  }
  setRates(state, size);
}

// Copy into the scratch buffer + rewrite + protect: the per-subscriber half of forwarding.
// Each call sends a new sequence number, as a downstream track does, so the SRTP index advances.
void BM_Protect(benchmark::State& state, media::SrtpProfile profile) {
  const size_t size = static_cast<size_t>(state.range(0));
  auto plain = makeRtpPacket(size, 1, 3000, 0x11111111);
  const auto packet = media::rtp::RtpPacket::parse(plain.data(), plain.size());
  DownstreamLeg leg(profile, 1);
  for (auto _ : state) {
    if (leg.forward(*packet) == 0) {
      state.SkipWithError("protect failed");
      break;
    }
    benchmark::DoNotOptimize(leg.scratch());
  }
  setRates(state, size);
}

// Walks a browser-style compound (RR + SDES + REMB + NACK) and reads every report and feedback
// header the bridge would act on.
void BM_RtcpCompoundParse(benchmark::State& state) {
  namespace rtp = media::rtp;
  const auto compound = makeRtcpCompound();
  for (auto _ : state) {
    uint64_t sum = 0;
    rtp::RtcpCompound walk(compound.data(), compound.size());
    while (auto packet = walk.next()) {
      switch (packet->packetType()) {
        case rtp::rtcp_type::kSr:
          if (auto sr = rtp::SenderReport::parse(*packet)) {
            for (size_t i = 0; i < sr->reportCount(); ++i) sum += sr->reportBlock(i).highestSeq;
          }
          break;
        case rtp::rtcp_type::kRr:
          if (auto rr = rtp::ReceiverReport::parse(*packet)) {
            for (size_t i = 0; i < rr->reportCount(); ++i) sum += rr->reportBlock(i).highestSeq;
          }
          break;
        case rtp::rtcp_type::kRtpfb:
          if (auto fb = rtp::RtcpFeedback::parse(*packet, rtp::rtcp_type::kRtpfb, rtp::fb_fmt::kNack)) sum += fb->mediaSsrc;
          break;
        case rtp::rtcp_type::kPsfb:
          if (auto fb = rtp::RtcpFeedback::parse(*packet, rtp::rtcp_type::kPsfb, rtp::fb_fmt::kAfb)) sum += fb->fci.size();
          break;
        default:
          break;
      }
    }
    if (!walk.complete()) {
      state.SkipWithError("compound did not parse");
      break;
    }
    benchmark::DoNotOptimize(sum);
  }
  setRates(state, compound.size());
}

BENCHMARK(BM_ReceiveCopy)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK(BM_Parse)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK_CAPTURE(BM_Unprotect, gcm, kGcm)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK_CAPTURE(BM_Unprotect, sha1_80, kSha1)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK_CAPTURE(BM_Protect, gcm, kGcm)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK_CAPTURE(BM_Protect, sha1_80, kSha1)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK(BM_RtcpCompoundParse);

}  // namespace
}  // namespace diemcau::tools::bench
