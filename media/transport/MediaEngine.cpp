#include "media/transport/MediaEngine.hpp"

#include <stdexcept>

namespace diemcau::media {

MediaEngine::MediaEngine(WorkerPool& workers, IceConfig ice, std::shared_ptr<const DtlsCertificate> certificate,
                         bool retransmission)
    : workers_(workers), ice_(std::move(ice)), certificate_(std::move(certificate)), retransmission_(retransmission) {
  dtls_.reserve(workers_.size());
  for (size_t i = 0; i < workers_.size(); ++i) {
    dtls_.push_back(std::make_unique<DtlsContext>(certificate_));
  }
  if (ice_.lite) muxes_ = std::make_unique<WorkerUdpMuxes>(workers_, ice_);
}

MediaEngine::~MediaEngine() { closeUdpMuxes(); }

void MediaEngine::closeUdpMuxes() {
  if (muxes_) muxes_->close();
}

DtlsContext& MediaEngine::dtlsContext(const Worker& worker) {
  for (size_t i = 0; i < workers_.size(); ++i) {
    if (&workers_.at(i) == &worker) return *dtls_[i];
  }
  throw std::logic_error("worker " + worker.name() + " is not part of this media engine");
}

}  // namespace diemcau::media
