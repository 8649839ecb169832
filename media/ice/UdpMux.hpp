#pragma once

#include "media/ice/IceConfig.hpp"

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace diemcau::media {

class Worker;
class LiteIceTransport;

/**
 * One media worker's shared UDP socket for ICE-lite transports (LiteIceTransport).
 *
 * Receives with recvmmsg in batches; answers STUN binding requests itself (libnice's STUN
 * library validates and builds them) and hands every other datagram to the transport whose
 * selected remote address sent it. Datagrams that transports send while a batch is being
 * dispatched are queued and leave together with one sendmmsg when the batch ends.
 *
 * Created, used and destroyed on its worker's thread.
 */
class UdpMux {
 public:
  struct Stats {
    uint64_t datagramsIn = 0;
    uint64_t datagramsOut = 0;
    uint64_t recvCalls = 0;       // recvmmsg calls that returned datagrams
    uint64_t sendCalls = 0;       // sendmmsg/sendto calls
    uint64_t stunRequests = 0;    // valid binding requests answered
    uint64_t stunRejected = 0;    // STUN that failed validation (bad integrity, unknown ufrag...)
    uint64_t unknownSource = 0;   // non-STUN datagrams from an address no transport selected
    uint64_t sendErrors = 0;
  };

  /// Binds one UDP socket per entry of config.localAddresses on `port` (0 = ephemeral).
  /// Throws std::invalid_argument on a bad address, std::runtime_error when binding fails.
  UdpMux(Worker& worker, const IceConfig& config, uint16_t port);
  ~UdpMux();
  UdpMux(const UdpMux&) = delete;
  UdpMux& operator=(const UdpMux&) = delete;

  Worker& worker() const { return worker_; }
  /// The bound port (the ephemeral one when 0 was asked).
  uint16_t port() const;
  const Stats& stats() const { return stats_; }

  /// Handles one datagram as if it had been read from the socket at `socketIndex` (tests, fuzz).
  void handleDatagram(size_t socketIndex, uint8_t* data, size_t len, const sockaddr* from, socklen_t fromLen);

 private:
  Worker& worker_;
  Stats stats_;
};

}  // namespace diemcau::media
