#pragma once

#include "media/ice/IceConfig.hpp"
#include "media/ice/MuxAddress.hpp"
#include "media/ice/SendBatch.hpp"
#include "media/ice/StunResponder.hpp"
#include "media/worker/Timer.hpp"

#include <glib.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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
 *   recvmmsg (32 per call, ≤ 8 calls per wakeup) ─► first byte (RFC 7983 §7)
 *      ├─ 0..3  STUN ─► StunResponder (USERNAME → transport, its pwd as key) ─► reply queued
 *      │                 └─ valid check ─► LiteIceTransport::onCheck (selection, consent)
 *      └─ else  source address → LiteIceTransport ─► Listener::onIcePacket
 *   end of each recvmmsg batch ─► SendBatch::flush (one sendmmsg per socket)
 *
 * One GSource per socket and one consent timer for the whole worker, whatever the number of
 * transports. Created, used and destroyed on its worker's thread; it must outlive its transports.
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

  /// An address host candidates are written with, and the socket that serves it.
  struct LocalAddress {
    std::string ip;
    int family = 0;  // AF_INET or AF_INET6
    size_t socketIndex = 0;
  };

  /// Datagrams read per recvmmsg, and recvmmsg calls per wakeup before timers and tasks get a turn.
  static constexpr size_t kReceiveBatch = 32;
  static constexpr int kBatchesPerWakeup = 8;
  /// Receive slot size: more than any WebRTC datagram; a longer one is truncated and dropped.
  static constexpr size_t kReceiveBytes = 2048;
  /// Socket buffers asked for when config.receiveBufferBytes is 0: the one socket queues every
  /// participant's traffic while the worker is busy. 8 MiB: a 150-site meeting sends the worker
  /// about 12,000 datagrams a second (some 2.3 KiB of buffer each, skb overhead included), and with
  /// 1 MiB the kernel dropped 8,789 of them in one bench run (tools/bench/meeting-knee.sh, 150 sites)
  /// whenever the worker was held up for some tens of milliseconds. The kernel caps the value at
  /// net.core.rmem_max unless the process may use SO_RCVBUFFORCE.
  static constexpr int kDefaultSocketBuffer = 8 << 20;

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
  const std::vector<LocalAddress>& localAddresses() const { return advertised_; }
  size_t socketCount() const { return sockets_.size(); }
  size_t transportCount() const { return transports_.size(); }

  /// Handles one datagram as if it had been read from the socket at `socketIndex` (tests, fuzz).
  void handleDatagram(size_t socketIndex, uint8_t* data, size_t len, const sockaddr* from, socklen_t fromLen);

 private:
  friend class LiteIceTransport;
  struct Socket;
  struct UfragHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  static gboolean onReadable(gint fd, GIOCondition condition, gpointer data);
  static StunResponder::Credentials findUfrag(void* self, std::string_view ufrag);
  void bindSockets(const IceConfig& config, uint16_t port);
  void readSocket(size_t index);
  void dispatch(size_t socketIndex, uint8_t* data, size_t len, const sockaddr* from, socklen_t fromLen);
  void handleStun(size_t socketIndex, const uint8_t* data, size_t len, const MuxAddress& source);
  void flushSends();
  void checkConsent();

  // For LiteIceTransport (same worker thread).
  void addTransport(LiteIceTransport& transport);
  void removeTransport(LiteIceTransport& transport);
  /// false when another live transport already uses `ufrag`.
  bool addUfrag(const std::string& ufrag, LiteIceTransport& transport);
  void removeUfrag(const std::string& ufrag, LiteIceTransport& transport);
  void bindAddress(const MuxAddress& address, LiteIceTransport& transport);
  void unbindAddress(const MuxAddress& address, LiteIceTransport& transport);
  /// Sends (or queues during a batch) one datagram on a socket; bytes accepted or -1.
  int sendTo(size_t socketIndex, const sockaddr* to, socklen_t toLength, const uint8_t* data, size_t len);
  /// During a batch: a send slot of at least `capacity` bytes to write the next datagram to `to` in
  /// place (SendBatch::reserve); empty outside a batch or when none fits, and then sendTo() is the way.
  std::span<uint8_t> reserveSend(size_t socketIndex, const sockaddr* to, socklen_t toLength, size_t capacity);
  /// Queues what was written in the reserved slot; `len` bytes accepted or -1.
  int commitSend(size_t len);
  gint64 nowUs() const { return nowUs_; }

  Worker& worker_;
  Stats stats_;
  uint16_t port_ = 0;
  std::vector<std::unique_ptr<Socket>> sockets_;
  std::vector<LocalAddress> advertised_;

  std::unique_ptr<uint8_t[]> receiveData_;
  std::array<mmsghdr, kReceiveBatch> receiveHeaders_{};
  std::array<iovec, kReceiveBatch> receiveVectors_{};
  std::array<sockaddr_storage, kReceiveBatch> receiveFrom_{};

  StunResponder stun_;
  std::array<uint8_t, StunResponder::kMaxReply> stunReply_{};
  SendBatch batch_;
  bool dispatching_ = false;
  gint64 nowUs_ = 0;

  std::unordered_map<MuxAddress, LiteIceTransport*, MuxAddressHash> byAddress_;
  std::unordered_map<std::string, LiteIceTransport*, UfragHash, std::equal_to<>> byUfrag_;
  std::vector<LiteIceTransport*> transports_;
  std::vector<LiteIceTransport*> consentScratch_;  // the sweep's copy; a transport that leaves is nulled
  bool sweeping_ = false;
  Timer consentTimer_;
};

}  // namespace diemcau::media
