#pragma once
// The media side of the process as the signaling thread sees it: the workers, the DTLS certificate,
// one DTLS context per worker (an SSL_CTX is not shared between threads) and the ICE settings from
// the configuration, and in ICE-lite mode the workers' shared UDP sockets (WorkerUdpMuxes). Built once
// at start-up; immutable afterwards except for the pool's load counters.
#include <memory>
#include <vector>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/DtlsContext.hpp"
#include "media/ice/IceConfig.hpp"
#include "media/transport/WorkerUdpMuxes.hpp"
#include "media/worker/WorkerPool.hpp"

namespace diemcau::media {

class MediaEngine {
 public:
  /// `retransmission`: the bridge answers NACKs from a packet history and NACKs publishers itself.
  /// With `ice.lite`, binds one UdpMux per worker (on the worker's thread) on ice.litePort + the
  /// worker's index; throws what UdpMux throws (a port taken, a bad address).
  MediaEngine(WorkerPool& workers, IceConfig ice, std::shared_ptr<const DtlsCertificate> certificate,
              bool retransmission = true);
  /// Closes the muxes (closeUdpMuxes()); destroy before the pool, or call closeUdpMuxes() first.
  ~MediaEngine();
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  WorkerPool& workers() { return workers_; }
  const IceConfig& iceConfig() const { return ice_; }
  bool retransmission() const { return retransmission_; }
  const DtlsCertificate& certificate() const { return *certificate_; }
  /// The DTLS context owned by `worker`; use it only on that worker's thread.
  DtlsContext& dtlsContext(const Worker& worker);
  /// The ICE-lite socket of `worker` for the transports made there; null in full-ICE mode (each
  /// transport then owns a libnice agent) and after closeUdpMuxes().
  UdpMux* udpMux(const Worker& worker) const { return muxes_ ? muxes_->at(worker) : nullptr; }
  /// Destroys each worker's mux on that worker, after the tasks already posted to it (see
  /// WorkerUdpMuxes::close). Every transport on them must be gone or going by then. Idempotent.
  void closeUdpMuxes();

 private:
  WorkerPool& workers_;
  IceConfig ice_;
  std::shared_ptr<const DtlsCertificate> certificate_;
  bool retransmission_;
  std::vector<std::unique_ptr<DtlsContext>> dtls_;  // index = worker index in the pool
  std::unique_ptr<WorkerUdpMuxes> muxes_;            // ICE-lite only
};

}  // namespace diemcau::media
