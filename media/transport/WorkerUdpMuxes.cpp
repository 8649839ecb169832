#include "media/transport/WorkerUdpMuxes.hpp"

#include <stdexcept>
#include <string>

#include "media/worker/InvokeAndWait.hpp"

namespace diemcau::media {

uint16_t WorkerUdpMuxes::portFor(uint16_t basePort, size_t index) {
  if (basePort == 0) return 0;
  const size_t port = basePort + index;
  if (port > 65535) {
    throw std::invalid_argument("ice-lite: port " + std::to_string(basePort) + " + worker " + std::to_string(index) +
                                " is past 65535");
  }
  return static_cast<uint16_t>(port);
}

WorkerUdpMuxes::WorkerUdpMuxes(WorkerPool& workers, const IceConfig& ice) : workers_(workers) {
  muxes_.resize(workers_.size());
  try {
    for (size_t i = 0; i < workers_.size(); ++i) {
      Worker& worker = workers_.at(i);
      const uint16_t port = portFor(ice.litePort, i);
      muxes_[i] = invokeAndWait(worker, [&] { return std::make_unique<UdpMux>(worker, ice, port); });
    }
  } catch (...) {
    close();
    throw;
  }
}

WorkerUdpMuxes::~WorkerUdpMuxes() { close(); }

UdpMux* WorkerUdpMuxes::at(const Worker& worker) const {
  for (size_t i = 0; i < muxes_.size(); ++i) {
    if (&workers_.at(i) == &worker) return muxes_[i].get();
  }
  return nullptr;
}

void WorkerUdpMuxes::close() {
  for (size_t i = 0; i < muxes_.size(); ++i) {
    if (!muxes_[i]) continue;
    try {
      invokeAndWait(workers_.at(i), [&] { muxes_[i].reset(); });
    } catch (const WorkerStoppedError&) {
      muxes_[i].reset();
    }
  }
}

}  // namespace diemcau::media
