#pragma once
// The ICE-lite sockets of a worker pool: one UdpMux per media worker, worker i on basePort + i
// (basePort 0: an ephemeral port each). A UdpMux lives on its worker's thread (its GSource is
// attached to that worker's context), so each is built and destroyed there.
#include <cstdint>
#include <memory>
#include <vector>

#include "media/ice/IceConfig.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/worker/WorkerPool.hpp"

namespace diemcau::media {

class WorkerUdpMuxes {
 public:
  /// Builds every mux on its worker and waits for it. Rethrows the first failure (a port taken, a
  /// bad address) after closing the muxes already built.
  WorkerUdpMuxes(WorkerPool& workers, const IceConfig& ice);
  /// close(); must not run on one of the pool's worker threads.
  ~WorkerUdpMuxes();
  WorkerUdpMuxes(const WorkerUdpMuxes&) = delete;
  WorkerUdpMuxes& operator=(const WorkerUdpMuxes&) = delete;

  /// The port worker `index` listens on for `basePort` (0 stays 0: ephemeral).
  static uint16_t portFor(uint16_t basePort, size_t index);

  /// The mux of `worker`; null once closed or for a worker of another pool.
  UdpMux* at(const Worker& worker) const;
  size_t size() const { return muxes_.size(); }

  /// Destroys each mux on its worker, after every task already posted there: a room whose deletion
  /// was posted before gives its transports back first. Every transport on a mux must be gone by
  /// then. A worker that is already stopped has joined its thread, so its mux is destroyed here.
  /// Idempotent.
  void close();

 private:
  WorkerPool& workers_;
  std::vector<std::unique_ptr<UdpMux>> muxes_;  // index = worker index in the pool
};

}  // namespace diemcau::media
