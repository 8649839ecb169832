#include "media/ice/LiteIceTransport.hpp"

#include <stdexcept>

namespace diemcau::media {

LiteIceTransport::LiteIceTransport(UdpMux& mux, const IceConfig& /*config*/, Listener& listener)
    : mux_(mux), listener_(listener) {
  throw std::runtime_error("ice-lite: not implemented yet");
}
LiteIceTransport::~LiteIceTransport() = default;
void LiteIceTransport::gather() {}
std::vector<std::string> LiteIceTransport::localCandidates() const { return {}; }
void LiteIceTransport::setRemoteCredentials(const std::string&, const std::string&) {}
bool LiteIceTransport::addRemoteCandidate(const std::string&) { return false; }
void LiteIceTransport::remoteGatheringDone() {}
int LiteIceTransport::send(const uint8_t*, size_t) { return -1; }
void LiteIceTransport::restart() {}
void LiteIceTransport::close() {}

}  // namespace diemcau::media
