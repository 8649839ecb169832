#pragma once
// The media side of the process as the signaling thread sees it: the workers, the DTLS certificate,
// one DTLS context per worker (an SSL_CTX is not shared between threads) and the ICE settings from
// the configuration. Built once at start-up; immutable afterwards except for the pool's load counters.
#include <memory>
#include <vector>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/DtlsContext.hpp"
#include "media/ice/IceConfig.hpp"
#include "media/worker/WorkerPool.hpp"

namespace diemcau::media {

class MediaEngine {
 public:
  /// `retransmission`: the bridge answers NACKs from a packet history and NACKs publishers itself.
  MediaEngine(WorkerPool& workers, IceConfig ice, std::shared_ptr<const DtlsCertificate> certificate,
              bool retransmission = true);
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  WorkerPool& workers() { return workers_; }
  const IceConfig& iceConfig() const { return ice_; }
  bool retransmission() const { return retransmission_; }
  const DtlsCertificate& certificate() const { return *certificate_; }
  /// The DTLS context owned by `worker`; use it only on that worker's thread.
  DtlsContext& dtlsContext(const Worker& worker);

 private:
  WorkerPool& workers_;
  IceConfig ice_;
  std::shared_ptr<const DtlsCertificate> certificate_;
  bool retransmission_;
  std::vector<std::unique_ptr<DtlsContext>> dtls_;  // index = worker index in the pool
};

}  // namespace diemcau::media
