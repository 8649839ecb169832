#include "media/ice/UdpMux.hpp"

#include <stdexcept>

namespace diemcau::media {

UdpMux::UdpMux(Worker& worker, const IceConfig& /*config*/, uint16_t /*port*/) : worker_(worker) {
  throw std::runtime_error("udp mux: not implemented yet");
}
UdpMux::~UdpMux() = default;
uint16_t UdpMux::port() const { return 0; }
void UdpMux::handleDatagram(size_t, uint8_t*, size_t, const sockaddr*, socklen_t) {}

}  // namespace diemcau::media
