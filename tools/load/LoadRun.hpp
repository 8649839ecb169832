#pragma once
// One run of a scenario, driven from the main thread: the hall joins, the sites join at the ramp
// rate, the measured window runs (replacing sites continuously for churn), the media stops, the
// packets in flight drain, and every receiver's ledgers are collected into the summary.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "media/ice/ClientMux.hpp"
#include "media/transport/MediaEngine.hpp"
#include "tools/load/LatencyHistogram.hpp"
#include "tools/load/LoadOptions.hpp"
#include "tools/load/ProcessCpu.hpp"
#include "tools/load/SignalingFactory.hpp"
#include "tools/load/SimulatedSite.hpp"
#include "tools/load/WorkerStats.hpp"

namespace diemcau::load {

class LoadRun {
 public:
  LoadRun(const LoadOptions& options, SignalingFactory& signaling, media::MediaEngine& engine);
  /// Makes every remaining site leave on its worker (its media objects live there).
  ~LoadRun();
  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  /// Runs the scenario; returns the summary (docs/PERFORMANCE.md describes its fields).
  nlohmann::json run();

 private:
  struct Totals {
    std::array<uint64_t, 2> sent{};
    std::array<uint64_t, 2> received{};
    std::array<uint64_t, 2> duplicates{};
  };
  struct Snapshot {
    double at = 0.0;  // seconds since the run started
    Totals totals;
    CpuTimes self;
    std::optional<CpuTimes> server;
    std::optional<uint64_t> drops;  // receiveDrops(); none without the minimal ICE client's muxes
  };
  struct SlotSent {
    bool alive = false;
    uint8_t generation = 0;
    std::array<uint32_t, 2> last{};
  };

  /// On the mux's worker: gives the mux its shared loopback socket when --client-sockets asks for one.
  void shareSocket(media::ClientMux& mux, size_t workerIndex);
  /// Destroys each object on its worker (by index), or here when that worker has stopped.
  template <typename T>
  void destroyOnWorkers(std::vector<std::unique_ptr<T>>& byWorker);
  std::shared_ptr<SimulatedSite> launch(uint16_t slot, uint8_t generation);
  void retire(const std::shared_ptr<SimulatedSite>& site);
  bool ready(const SimulatedSite& site) const;
  size_t readyCount() const;
  size_t failedCount() const;
  void waitUntil(double seconds, const std::function<bool()>& done, const char* phase);
  void progress(const char* phase);
  Totals totals() const;
  Snapshot snapshot() const;
  /// Calls `fn(mux)` on each worker's ClientMux, on that worker; a stopped worker's mux is skipped
  /// (it reads nothing more).
  template <typename Fn>
  void forEachMux(Fn&& fn) const;
  /// Datagrams the kernel dropped on this generator's own sockets (every worker's ClientMux), or
  /// none with libnice connections, whose sockets libnice keeps.
  std::optional<uint64_t> receiveDrops() const;
  double now() const;
  void recordJoin(const SimulatedSite& site);
  /// Writes every worker's trace to --latency-trace; the summary's "latencyTrace" entry.
  nlohmann::json writeLatencyTrace() const;
  nlohmann::json summarize(const Snapshot& begin, const Snapshot& end, const ReceiveTotals& received,
                           const std::array<LatencyHistogram, 2>& latency);

  // Worker i's shared socket is on 127.<kSharedNetworkBase + i>.0.0/16, with kSharedBufferFactor
  // times a connection's receive buffer.
  static constexpr size_t kSharedNetworkBase = 64;  // --workers is at most 64: up to 127.127.0.0/16
  static constexpr int kSharedBufferFactor = 32;

  const LoadOptions& options_;
  SignalingFactory& signaling_;
  media::MediaEngine& engine_;
  std::vector<std::unique_ptr<WorkerStats>> stats_;  // by worker index
  // By worker index, each created and destroyed on its worker; empty with --ice-client libnice.
  std::vector<std::unique_ptr<media::ClientMux>> clientMuxes_;
  // By worker index, each created and destroyed on its worker: every site's receiver reports.
  std::vector<std::unique_ptr<RtcpRound>> rtcpRounds_;
  std::vector<std::shared_ptr<SimulatedSite>> sites_;  // by slot
  std::vector<bool> joinRecorded_;                     // by slot
  std::vector<double> joinMs_;
  std::vector<std::string> failures_;
  ReceiveTotals retired_;
  size_t retiredFailed_ = 0;
  size_t replaced_ = 0;
  size_t nextWorker_ = 0;
  size_t sharedSockets_ = 0;  // workers whose connections share one socket
  int64_t startNs_ = 0;
  double lastProgress_ = -1.0;
  std::optional<long> serverRssBefore_;
};

}  // namespace diemcau::load
