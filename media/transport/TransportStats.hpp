#pragma once
#include <cstdint>

namespace diemcau::media {

/// Counters of one transport. Plain integers: read on the owning worker or copied out by a posted task.
struct TransportStats {
  uint64_t rtpReceived = 0;
  uint64_t rtcpReceived = 0;
  uint64_t bytesReceived = 0;
  uint64_t rtpSent = 0;
  uint64_t rtcpSent = 0;
  uint64_t bytesSent = 0;
  uint64_t srtpErrors = 0;      // authentication or replay failures on receive
  uint64_t malformed = 0;       // packets that were neither DTLS nor valid RTP/RTCP
  uint64_t sendFailures = 0;    // not connected, too large, or the socket refused
};

}  // namespace diemcau::media
