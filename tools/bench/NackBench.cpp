// The CPU cost of retransmission on the bridge (docs/PERFORMANCE.md, "Retransmission"):
//   BM_HistoryStore      per forwarded video packet: its copy into the packet history
//   BM_NackGeneratorFeed per received video packet: the loss tracking of the NACK generator
//   BM_NackAnswer        per receiver NACK: parse, look up each lost packet, resend guard, RTX
//                        written into the send buffer (SRTP and the socket are BM_Protect's and
//                        the kernel's, as for every forwarded packet)
#include <benchmark/benchmark.h>

#include <array>
#include <optional>
#include <vector>

#include "bridge/room/NackGenerator.hpp"
#include "bridge/room/ResendGuard.hpp"
#include "bridge/room/RtpPacketHistory.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/RtpPacket.hpp"
#include "media/rtp/Rtx.hpp"
#include "tools/bench/PacketFactory.hpp"

namespace diemcau::tools::bench {
namespace {

namespace rtp = media::rtp;
using bridge::RtpPacketHistory;

constexpr size_t kHistoryPackets = 512;
constexpr int64_t kHistoryAgeUs = 1'000'000;
constexpr uint32_t kSsrc = 0x11111111;

void BM_HistoryStore(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  RtpPacketHistory history(kHistoryPackets, kHistoryAgeUs);
  auto bytes = makeRtpPacket(size, 0, 3000, kSsrc);
  auto packet = rtp::RtpPacket::parse(bytes.data(), bytes.size());
  uint16_t sequence = 0;
  int64_t nowUs = 0;
  for (auto _ : state) {
    packet->setSequence(sequence++);
    nowUs += 5000;
    benchmark::DoNotOptimize(history.store(*packet, nowUs));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

void BM_NackGeneratorFeed(benchmark::State& state) {
  // One packet in fifty lost (2 %), so gaps, NACKs and recoveries are all exercised.
  bridge::NackGenerator generator;
  std::array<uint16_t, 64> out{};
  uint16_t sequence = 0;
  int64_t nowUs = 0;
  for (auto _ : state) {
    ++sequence;
    if (sequence % 50 == 0) ++sequence;
    nowUs += 5000;
    benchmark::DoNotOptimize(generator.onPacket(sequence, nowUs));
    if (generator.due(nowUs)) benchmark::DoNotOptimize(generator.collect(nowUs, out));
    if (sequence % 50 == 3) generator.onPacket(static_cast<uint16_t>(sequence - 3), nowUs);  // the repair
  }
  state.SetItemsProcessed(state.iterations());
}

// A NACK for `lost` packets (1: one PID; 17: a PID and a full BLP) of a full history.
void BM_NackAnswer(benchmark::State& state) {
  const size_t lost = static_cast<size_t>(state.range(0));
  RtpPacketHistory history(kHistoryPackets, kHistoryAgeUs);
  auto bytes = makeRtpPacket(1200, 0, 3000, kSsrc);
  auto packet = rtp::RtpPacket::parse(bytes.data(), bytes.size());
  for (uint16_t sequence = 0; sequence < kHistoryPackets; ++sequence) {
    packet->setSequence(sequence);
    history.store(*packet, 0);
  }
  std::vector<uint16_t> sequences;
  for (size_t i = 0; i < lost; ++i) sequences.push_back(static_cast<uint16_t>(100 + i));
  std::array<uint8_t, 64> nackBytes{};
  const size_t nackLen = rtp::GenericNack::write(nackBytes, 0x22222222, kSsrc, sequences);
  std::array<uint8_t, RtpPacketHistory::kSlotSize + 2> sendBuffer{};
  bridge::ResendGuard guard;
  int64_t nowUs = 0;
  uint16_t rtxSequence = 0;
  for (auto _ : state) {
    nowUs += 200'000;  // past the guard's interval: every packet is resent each time
    rtp::RtcpCompound compound(nackBytes.data(), nackLen);
    auto rtcp = compound.next();
    auto nack = rtp::GenericNack::parse(*rtcp);
    size_t sent = 0;
    nack->forEachLost([&](uint16_t sequence) {
      if (!guard.allow(sequence, nowUs, 100'000)) return;
      std::optional<rtp::RtpPacket> stored;
      if (history.find(sequence, 500'000, 50'000, stored) != RtpPacketHistory::Lookup::Found) return;
      const rtp::RtxHeader header{0x33333333, 97, rtxSequence++, stored->timestamp(), sequence};
      sent += rtp::writeRtx(sendBuffer, *stored, header) != 0 ? 1 : 0;
    });
    if (sent != lost) {
      state.SkipWithError("not every lost packet was answered");
      break;
    }
    benchmark::DoNotOptimize(sendBuffer.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(lost));
}

BENCHMARK(BM_HistoryStore)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK(BM_NackGeneratorFeed);
BENCHMARK(BM_NackAnswer)->ArgName("lost")->Arg(1)->Arg(17);

}  // namespace
}  // namespace diemcau::tools::bench
