// diemcau-bench-recorder: what recording a track costs, next to what forwarding it costs
// (diemcau-bench-packet, BM_Forward). Results and method in docs/PERFORMANCE.md.
//
//   BM_RecorderTap        the worker's share: the copy into the preallocated queue that
//                         RtpSink::onRtp makes, plus the release of the slot.
//   BM_RecordParticipant  the whole recording, all threads of the process: real VP8 + Opus RTP fed
//                         at real pace through a ParticipantRecorder (jitter buffers, depayloaders,
//                         Matroska muxer, file writes); CPU seconds per second of media and per packet.
#include <benchmark/benchmark.h>
#include <gst/gst.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "media/recorder/PacketQueue.hpp"
#include "media/recorder/ParticipantRecorder.hpp"
#include "tests/media/recorder/RtpFeed.hpp"

namespace diemcau::tools::bench {
namespace {

namespace recorder = media::recorder;
namespace fs = std::filesystem;

double processCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void BM_RecorderTap(benchmark::State& state) {
  // Push, then the consumer's release, on one thread: the worker's copy into a free slot plus the
  // bookkeeping the drain thread does, without cross-core effects (the queue never fills, so this is
  // the path of a recording that keeps up; a full queue's drop is a cheaper early return).
  const auto size = static_cast<size_t>(state.range(0));
  recorder::PacketQueue queue(1024);
  std::vector<uint8_t> packet(size, 0x5a);
  int64_t now = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(queue.push(0, packet, ++now));
    benchmark::DoNotOptimize(queue.front());
    queue.release();
  }
  state.counters["dropped_full"] = static_cast<double>(queue.counters().droppedFull);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}
BENCHMARK(BM_RecorderTap)->ArgName("bytes")->Arg(1200)->Arg(200);

void BM_RecordParticipant(benchmark::State& state) {
  gst_init(nullptr, nullptr);
  const double seconds = static_cast<double>(state.range(0));
  const auto packets =
      recorder::test::merge(recorder::test::encodeVp8(seconds, 0), recorder::test::encodeOpus(seconds, 1));
  size_t videoPackets = 0;
  for (const auto& p : packets) videoPackets += p.track == 0 ? 1 : 0;
  const fs::path dir = fs::temp_directory_path() / ("diemcau-bench-recorder-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  double cpu = 0;
  for (auto _ : state) {
    const double before = processCpuSeconds();
    {
      recorder::ParticipantRecorder rec(
          dir / "bench.mkv",
          {{recorder::RecordedCodec::Vp8, 96, 90000}, {recorder::RecordedCodec::Opus, 111, 48000}}, nullptr);
      recorder::test::feedRealTime(
          packets, [&](const recorder::test::FedPacket& p) { rec.sink(p.track).onRtp(p.bytes); });
      rec.stop();
    }
    cpu += processCpuSeconds() - before;
  }
  fs::remove_all(dir);
  const double iterations = static_cast<double>(state.iterations());
  state.counters["cpu_ms_per_media_s"] = cpu / iterations / seconds * 1e3;
  state.counters["cpu_us_per_packet"] = cpu / iterations / static_cast<double>(packets.size()) * 1e6;
  state.counters["packets"] = static_cast<double>(packets.size());
  state.counters["video_packets"] = static_cast<double>(videoPackets);
}
// Real time: the feed sleeps between packets; the CPU counters are the measurement.
BENCHMARK(BM_RecordParticipant)
    ->ArgName("seconds")
    ->Arg(10)
    ->Iterations(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace diemcau::tools::bench

BENCHMARK_MAIN();
