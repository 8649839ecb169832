#pragma once

#include "media/ice/LoopbackClientSocket.hpp"
#include "media/ice/StunResponder.hpp"
#include "media/rtp/CacheLines.hpp"
#include "media/worker/GlibPtr.hpp"
#include "media/worker/Timer.hpp"

#include <glib.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <vector>

namespace diemcau::media {

class Worker;

/**
 * The receive loop of many client ICE connections on one worker (ClientIceTransport): each
 * connection keeps its own UDP socket (an ICE-lite bridge tells its peers apart by source address),
 * and all of those sockets sit in one epoll set, so the worker's GMainContext holds a single
 * GSource for them however many connections there are. A GLib source per socket (as libnice has)
 * makes every loop iteration walk every connection's source; here an iteration costs one
 * epoll_wait plus one recvmmsg per socket that has datagrams.
 *
 *   epoll fd readable ─► epoll_wait(timeout 0, ≤ kEvents) ─► per ready socket:
 *       recvmmsg(kReceiveBatch, MSG_DONTWAIT) into the mux's buffers ─► Endpoint::onDatagram
 *   (repeated up to kRoundsPerWakeup times, then timers and tasks get their turn)
 *   one periodic timer (kTickPeriod) ─► Endpoint::onTick for retransmissions and consent
 *
 * On loopback the endpoints can instead share one socket of the mux (shareLoopbackSocket): each
 * attaches with an address of its own (LoopbackClientSocket), and one recvmmsg then reads the
 * datagrams of many endpoints, handed to each by the address they were sent to. That socket has a
 * GSource of its own, outside the epoll set: the sender's kernel, which on loopback pays for waking
 * this worker, then wakes it straight from the socket, without epoll's callback in between; or it is
 * read on a period, and then nobody waits on it at all.
 *
 *   shared socket readable ─► recvmmsg(kReceiveBatch) ─► every datagram's slot (IP_PKTINFO
 *       destination) ─► per datagram: prefetch the slot two ahead and the lines its endpoint
 *       reported (addReceiveLines) one ahead ─► Endpoint::onDatagram
 *
 * The look-ahead is the bridge's fan-out one turned around: consecutive datagrams belong to
 * different connections, each of whose state (ICE link, transport, SRTP stream, receiver) is a
 * chain of heap objects that has left the cache since its last datagram.
 *
 * Nothing is allocated per datagram. Created, used and destroyed on its worker's thread; every
 * endpoint must be removed (or detached) before the mux is destroyed.
 */
class ClientMux {
 public:
  class Endpoint {
   public:
    virtual ~Endpoint() = default;
    /// Its own socket (add); -1 for an endpoint on the shared socket (attachShared).
    virtual int fd() const = 0;
    /// One datagram read from the endpoint's socket; valid (and writable) only during the call.
    virtual void onDatagram(uint8_t* data, size_t len, const sockaddr_storage& from, socklen_t fromLength) = 0;
    /// Called every kTickPeriod with the loop's monotonic time.
    virtual void onTick(gint64 nowUs) = 0;
    /// The mux is destroyed before the endpoint: forget it (the endpoint's socket stays its own).
    virtual void onMuxGone() = 0;
    /// Adds the lines onDatagram() touches for a media datagram (CacheLines). Asked on the shared
    /// socket every kLinesRefreshPeriod datagrams, just after one (the lines are hot then), so the
    /// mux can prefetch them one datagram ahead. By default none.
    virtual void addReceiveLines(CacheLines& lines) const noexcept { (void)lines; }
  };

  struct Stats {
    uint64_t wakeups = 0;       // GSource dispatches
    uint64_t epollCalls = 0;    // epoll_wait calls that returned events
    uint64_t recvCalls = 0;     // recvmmsg calls that returned datagrams
    uint64_t datagramsIn = 0;
    uint64_t truncated = 0;     // longer than kReceiveBytes: dropped
    uint64_t unclaimed = 0;     // on the shared socket, for an address no endpoint holds: dropped
  };

  static constexpr size_t kEvents = 64;
  static constexpr size_t kReceiveBatch = 64;
  static constexpr size_t kReceiveBytes = 2048;
  static constexpr int kRoundsPerWakeup = 8;
  /// A periodic read of the shared socket takes up to this many batches (4,096 datagrams).
  static constexpr int kRoundsPerPeriod = 64;
  static constexpr Timer::Duration kTickPeriod{20};
  static constexpr uint32_t kLinesRefreshPeriod = 64;

  /// Throws std::runtime_error when the epoll set cannot be created.
  explicit ClientMux(Worker& worker);
  ~ClientMux();
  ClientMux(const ClientMux&) = delete;
  ClientMux& operator=(const ClientMux&) = delete;

  /// Adds the endpoint's socket to the set. Throws std::runtime_error if epoll refuses it.
  void add(Endpoint& endpoint);
  /// Removes it; no call reaches the endpoint afterwards (not even one already in a batch).
  void remove(Endpoint& endpoint);

  /// Opens the shared socket (LoopbackClientSocket on 127.<network>.0.0/16, `bufferBytes` of
  /// receive buffer) for the endpoints that attach from now on. Read when it becomes readable, or,
  /// with `readEvery` (whole milliseconds), on that period whether anything came or not: nobody
  /// then waits on the socket, so a sender never pays to wake this worker (on loopback that wakeup
  /// is the sender's system time, docs/PERFORMANCE.md), at the price of up to `readEvery` spent in
  /// the socket (the buffer must hold a period's datagrams) and a wakeup per period. Throws
  /// std::runtime_error (or std::invalid_argument) as LoopbackClientSocket does, leaving the mux as
  /// it was.
  void shareLoopbackSocket(uint8_t network, int bufferBytes, Timer::Duration readEvery = Timer::Duration::zero());
  /// The shared socket, or null when endpoints keep their own.
  const LoopbackClientSocket* sharedSocket() const { return shared_ ? &*shared_ : nullptr; }
  /// Gives the endpoint a free address of the shared socket and returns its slot. Throws
  /// std::logic_error without a shared socket, std::runtime_error when every address is taken.
  uint32_t attachShared(Endpoint& endpoint);
  /// Frees the slot; no call reaches its endpoint afterwards (not even one already in a batch).
  void detachShared(Endpoint& endpoint, uint32_t slot);
  /// Sends from the slot's address; -1 when it fails.
  int sendShared(uint32_t slot, const uint8_t* data, size_t len, const sockaddr* to, socklen_t toLength) const {
    return shared_ ? static_cast<int>(shared_->sendFrom(slot, data, len, to, toLength)) : -1;
  }

  Worker& worker() { return worker_; }
  /// Answers checks for the endpoints that play ICE-lite (ClientIceTransport's lite role): one per
  /// mux, as the bridge's UdpMux has, since it keeps nothing between datagrams.
  StunResponder& stunResponder() { return responder_; }
  /// Asks the kernel to timestamp every datagram of the sockets added from now on (SO_TIMESTAMPNS,
  /// read with the datagram: no extra syscall), for arrivalNs(). Off by default: a load generator
  /// turns it on to tell the time a datagram waited in its own socket from the time it took to get there.
  void recordArrivalTimes() {
    arrivalTimes_ = true;  // resetHeaders() then sets every header's control room again
  }
  /// During Endpoint::onDatagram: when the kernel queued that datagram on the socket, steady-clock
  /// nanoseconds; 0 when not recorded.
  int64_t arrivalNs() const { return arrivalNs_; }
  /// g_get_monotonic_time() of the current wakeup.
  gint64 nowUs() const { return nowUs_; }
  size_t endpoints() const { return endpoints_.size(); }
  const Stats& stats() const { return stats_; }
  /// Datagrams the kernel dropped on the sockets this mux reads now (the shared socket and the
  /// endpoints' own), each since it was opened: mostly a receive buffer that filled while this
  /// worker was busy. One syscall per socket: for reports, not per packet.
  uint64_t receiveDrops() const;

 private:
  static gboolean onReadable(gint fd, GIOCondition condition, gpointer data);
  static gboolean onSharedReadable(gint fd, GIOCondition condition, gpointer data);
  static gboolean onSharedPeriod(gpointer data);
  void drain();
  /// Reads the endpoint's socket until it is empty or one batch was short.
  void readEndpoint(Endpoint& endpoint);
  /// Reads the shared socket the same way, each datagram to the endpoint its address names.
  void readShared();
  /// One recvmmsg from `fd` into the mux's buffers, `controlBytes` of control room per datagram;
  /// the datagrams read (0 when none).
  size_t receive(int fd, size_t controlBytes);
  /// Resets what the last read wrote into the headers; `controlBytes` of control room each.
  void resetHeaders(size_t controlBytes);
  /// Whether datagram i of the batch can be handed on (not truncated, not empty); counts it if not.
  bool usable(size_t i);
  /// Hands datagram i of the batch to the endpoint, with its arrival time.
  void deliver(Endpoint& endpoint, size_t i);
  /// Removes the endpoint from the tick list; false when it was not there.
  bool forget(Endpoint& endpoint);
  /// SO_TIMESTAMPNS on `fd` when arrival times are recorded.
  void stampArrivals(int fd) const;
  /// The kernel's receive time of a datagram (steady ns), or 0 without one.
  static int64_t arrivalOf(const msghdr& header, int64_t realToSteadyNs);
  static int64_t realToSteadyNs();
  void tick();

  struct EpollFd {
    int fd = -1;
    ~EpollFd();
  };

  Worker& worker_;
  EpollFd epoll_;
  StunResponder responder_;
  GSourcePtr source_;
  Timer tickTimer_;
  std::vector<Endpoint*> endpoints_;
  std::optional<LoopbackClientSocket> shared_;
  GSourcePtr sharedSource_;  // watches or reads shared_ (after it: destroyed first)
  int sharedRounds_ = kRoundsPerWakeup;
  struct Slot {
    Endpoint* endpoint = nullptr;  // null when free
    uint32_t untilRefresh = 0;     // datagrams until its lines are taken again
    CacheLines lines;              // what its last refresh reported
  };
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  static constexpr uint32_t kTruncated = UINT32_MAX - 1;
  void prefetchSlot(uint32_t slot) const noexcept {
    if (slot < slots_.size()) CacheLines::prefetchMembers(slots_[slot], slots_[slot]);
  }
  void prefetchLines(uint32_t slot) const noexcept {
    if (slot < slots_.size()) slots_[slot].lines.prefetch();
  }

  std::vector<Slot> slots_;                    // by shared-socket slot
  std::array<uint32_t, kReceiveBatch> batch_{};  // the slot of each datagram of the current read
  uint32_t nextSlot_ = 0;         // where the search for a free slot starts: freed slots wait a round
  std::array<epoll_event, kEvents> events_{};
  size_t eventCount_ = 0;
  size_t eventCursor_ = 0;
  Endpoint* reading_ = nullptr;  // the endpoint being read; null once it is removed mid-read
  std::unique_ptr<uint8_t[]> receiveData_;
  std::array<mmsghdr, kReceiveBatch> headers_{};
  std::array<iovec, kReceiveBatch> vectors_{};
  std::array<sockaddr_storage, kReceiveBatch> from_{};
  // Room for an SCM_TIMESTAMPNS (a struct timespec) and an IP_PKTINFO control message per datagram.
  static constexpr size_t kControlBytes = CMSG_SPACE(sizeof(timespec)) + LoopbackClientSocket::kPacketInfoSpace;
  struct alignas(cmsghdr) Control {
    std::array<uint8_t, kControlBytes> bytes;
  };
  std::array<Control, kReceiveBatch> control_{};
  bool arrivalTimes_ = false;
  size_t filled_ = kReceiveBatch;  // headers the last read wrote to: reset before the next one
  size_t controlBytes_ = 0;        // the control room the headers were last reset to
  int64_t arrivalNs_ = 0;
  int64_t batchOffsetNs_ = 0;  // real-time to steady-clock offset, taken once per batch
  gint64 nowUs_ = 0;
  Stats stats_;
};

}  // namespace diemcau::media
