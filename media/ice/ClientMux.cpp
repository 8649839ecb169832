#include "media/ice/ClientMux.hpp"

#include "media/ice/MuxSocket.hpp"
#include "media/worker/Worker.hpp"

#include <glib-unix.h>
#include <spdlog/spdlog.h>

#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>
#include <cstring>
#include <stdexcept>
#include <string>

namespace diemcau::media {

ClientMux::EpollFd::~EpollFd() {
  if (fd >= 0) ::close(fd);
}

ClientMux::ClientMux(Worker& worker)
    : worker_(worker),
      tickTimer_(worker, [this] { tick(); }),
      receiveData_(std::make_unique<uint8_t[]>(kReceiveBatch * kReceiveBytes)) {
  epoll_.fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_.fd < 0) throw std::runtime_error(std::string("client mux: epoll_create1: ") + std::strerror(errno));
  // Each header points at its own slot, address and control buffer once; a read resets only what
  // the kernel wrote back into the headers the previous read filled (as UdpMux does).
  for (size_t i = 0; i < kReceiveBatch; ++i) {
    vectors_[i] = {receiveData_.get() + i * kReceiveBytes, kReceiveBytes};
    msghdr& header = headers_[i].msg_hdr;
    header.msg_name = &from_[i];
    header.msg_iov = &vectors_[i];
    header.msg_iovlen = 1;
    header.msg_control = control_[i].bytes.data();
  }
  // Level-triggered: the epoll fd stays readable while any member socket has a datagram queued,
  // so a wakeup that stops at its budget is simply followed by another one.
  GSource* source = g_unix_fd_source_new(epoll_.fd, G_IO_IN);
  g_source_set_callback(source, reinterpret_cast<GSourceFunc>(reinterpret_cast<void (*)()>(&ClientMux::onReadable)),
                        this, nullptr);
  g_source_attach(source, worker.context());
  source_.reset(source);
  nowUs_ = g_get_monotonic_time();
  tickTimer_.start(kTickPeriod, kTickPeriod);
}

ClientMux::~ClientMux() {
  if (!endpoints_.empty()) {
    spdlog::critical("client mux: destroyed with {} endpoint(s) still added", endpoints_.size());
    // They must not reach back into a freed mux when they close later.
    for (auto* endpoint : std::exchange(endpoints_, {})) endpoint->onMuxGone();
  }
  tickTimer_.stop();
  sharedSource_.reset();
  source_.reset();
}

void ClientMux::add(Endpoint& endpoint) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = &endpoint;
  if (::epoll_ctl(epoll_.fd, EPOLL_CTL_ADD, endpoint.fd(), &event) != 0) {
    throw std::runtime_error(std::string("client mux: epoll_ctl add: ") + std::strerror(errno));
  }
  stampArrivals(endpoint.fd());
  endpoints_.push_back(&endpoint);
}

uint64_t ClientMux::receiveDrops() const {
  uint64_t drops = shared_ ? media::receiveDrops(shared_->fd()) : 0;
  for (const Endpoint* endpoint : endpoints_) {
    if (endpoint->fd() >= 0) drops += media::receiveDrops(endpoint->fd());
  }
  return drops;
}

void ClientMux::stampArrivals(int fd) const {
  if (!arrivalTimes_) return;
  const int on = 1;
  // Best effort: without it arrivalNs() stays 0 for this socket.
  (void)::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
}

bool ClientMux::forget(Endpoint& endpoint) {
  const auto it = std::find(endpoints_.begin(), endpoints_.end(), &endpoint);
  if (it == endpoints_.end()) return false;
  // Swap-remove: a tick in progress may skip the endpoint moved into this place, which then waits
  // one more period.
  *it = endpoints_.back();
  endpoints_.pop_back();
  return true;
}

void ClientMux::remove(Endpoint& endpoint) {
  if (!forget(endpoint)) return;
  (void)::epoll_ctl(epoll_.fd, EPOLL_CTL_DEL, endpoint.fd(), nullptr);
  // Events of the current batch that name the endpoint must not be dispatched to it any more.
  for (size_t i = eventCursor_; i < eventCount_; ++i) {
    if (events_[i].data.ptr == &endpoint) events_[i].data.ptr = nullptr;
  }
  if (reading_ == &endpoint) reading_ = nullptr;
}

void ClientMux::shareLoopbackSocket(uint8_t network, int bufferBytes, Timer::Duration readEvery) {
  if (shared_) throw std::logic_error("client mux: the shared socket is open already");
  LoopbackClientSocket& socket = shared_.emplace(network, bufferBytes);
  stampArrivals(socket.fd());
  GSource* source = nullptr;
  if (readEvery > Timer::Duration::zero()) {
    // Nobody waits on the socket, so a sender queues its datagrams without waking anyone.
    source = g_timeout_source_new(static_cast<guint>(readEvery.count()));
    g_source_set_callback(source, &ClientMux::onSharedPeriod, this, nullptr);
    sharedRounds_ = kRoundsPerPeriod;
  } else {
    // Its own GLib source rather than a member of the epoll set: a datagram's sender then wakes
    // this worker's poll() straight from the socket, without epoll's callback and nested wakeup in
    // between, and a wakeup needs no epoll_wait before its recvmmsg.
    source = g_unix_fd_source_new(socket.fd(), G_IO_IN);
    g_source_set_callback(source,
                          reinterpret_cast<GSourceFunc>(reinterpret_cast<void (*)()>(&ClientMux::onSharedReadable)),
                          this, nullptr);
    sharedRounds_ = kRoundsPerWakeup;
  }
  g_source_attach(source, worker_.context());
  sharedSource_.reset(source);
}

uint32_t ClientMux::attachShared(Endpoint& endpoint) {
  if (!shared_) throw std::logic_error("client mux: no shared socket to attach to");
  // Slots are taken in turn round the range (the table grows as the turn first reaches its end),
  // so a freed slot is taken again only after all the others: datagrams still in flight to a
  // departed endpoint's address find no one rather than its successor.
  for (uint32_t tried = 0; tried < LoopbackClientSocket::kSlots; ++tried) {
    const uint32_t slot = nextSlot_;
    nextSlot_ = nextSlot_ + 1 == LoopbackClientSocket::kSlots ? 0 : nextSlot_ + 1;
    if (slot == slots_.size()) slots_.emplace_back();
    if (slots_[slot].endpoint == nullptr) {
      endpoints_.push_back(&endpoint);  // first: if it throws, no slot names the endpoint
      slots_[slot] = Slot{&endpoint, 0, {}};
      return slot;
    }
  }
  throw std::runtime_error("client mux: all " + std::to_string(LoopbackClientSocket::kSlots) +
                           " addresses of the shared socket are taken");
}

void ClientMux::detachShared(Endpoint& endpoint, uint32_t slot) {
  if (slot >= slots_.size() || slots_[slot].endpoint != &endpoint) return;
  slots_[slot].endpoint = nullptr;
  forget(endpoint);
}

gboolean ClientMux::onReadable(gint, GIOCondition, gpointer data) {
  static_cast<ClientMux*>(data)->drain();
  return G_SOURCE_CONTINUE;
}

gboolean ClientMux::onSharedReadable(gint, GIOCondition, gpointer data) { return onSharedPeriod(data); }

gboolean ClientMux::onSharedPeriod(gpointer data) {
  auto& mux = *static_cast<ClientMux*>(data);
  ++mux.stats_.wakeups;
  mux.nowUs_ = g_get_monotonic_time();
  mux.readShared();
  return G_SOURCE_CONTINUE;
}

void ClientMux::drain() {
  ++stats_.wakeups;
  for (int round = 0; round < kRoundsPerWakeup; ++round) {
    const int ready = ::epoll_wait(epoll_.fd, events_.data(), static_cast<int>(events_.size()), 0);
    if (ready <= 0) break;
    ++stats_.epollCalls;
    nowUs_ = g_get_monotonic_time();
    eventCount_ = static_cast<size_t>(ready);
    for (eventCursor_ = 0; eventCursor_ < eventCount_;) {
      void* const tag = events_[eventCursor_].data.ptr;
      ++eventCursor_;  // before dispatching, so remove() clears only the events still ahead
      if (tag != nullptr) {
        readEndpoint(*static_cast<Endpoint*>(tag));
      }
    }
    eventCount_ = eventCursor_ = 0;
    if (static_cast<size_t>(ready) < events_.size()) break;
  }
}

void ClientMux::resetHeaders(size_t controlBytes) {
  // Only the headers the last read wrote to need resetting, unless the control room changes (an own
  // socket read without timestamps, then the shared socket's): then all of them.
  if (controlBytes != controlBytes_) {
    controlBytes_ = controlBytes;
    filled_ = kReceiveBatch;
  }
  for (size_t i = 0; i < filled_; ++i) {
    msghdr& header = headers_[i].msg_hdr;
    header.msg_namelen = sizeof(sockaddr_storage);
    header.msg_controllen = controlBytes;
    header.msg_flags = 0;
  }
}

int64_t ClientMux::realToSteadyNs() {
  // The kernel stamps with the real-time clock; the offset to the steady clock is taken once per
  // batch (both clocks advance together over the microseconds a batch takes).
  timespec real{}, steady{};
  ::clock_gettime(CLOCK_REALTIME, &real);
  ::clock_gettime(CLOCK_MONOTONIC, &steady);
  return (int64_t{steady.tv_sec} - int64_t{real.tv_sec}) * 1'000'000'000 +
         (int64_t{steady.tv_nsec} - int64_t{real.tv_nsec});
}

int64_t ClientMux::arrivalOf(const msghdr& header, int64_t realToSteadyNs) {
  // msghdr is not const-correct for CMSG_NXTHDR; nothing is written through it.
  auto* mutableHeader = const_cast<msghdr*>(&header);
  for (cmsghdr* c = CMSG_FIRSTHDR(mutableHeader); c != nullptr; c = CMSG_NXTHDR(mutableHeader, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS || c->cmsg_len < CMSG_LEN(sizeof(timespec))) {
      continue;
    }
    timespec at{};
    std::memcpy(&at, CMSG_DATA(c), sizeof(at));
    return int64_t{at.tv_sec} * 1'000'000'000 + at.tv_nsec + realToSteadyNs;
  }
  return 0;
}

size_t ClientMux::receive(int fd, size_t controlBytes) {
  resetHeaders(controlBytes);
  const int received = ::recvmmsg(fd, headers_.data(), kReceiveBatch, MSG_DONTWAIT, nullptr);
  if (received <= 0) return 0;  // EAGAIN: drained; another error: epoll reports the socket again
  filled_ = static_cast<size_t>(received);
  ++stats_.recvCalls;
  stats_.datagramsIn += filled_;
  batchOffsetNs_ = arrivalTimes_ ? realToSteadyNs() : 0;
  return filled_;
}

bool ClientMux::usable(size_t i) {
  // Longer than any WebRTC datagram, or empty: nothing to parse.
  if ((headers_[i].msg_hdr.msg_flags & MSG_TRUNC) == 0 && headers_[i].msg_len != 0) return true;
  ++stats_.truncated;
  return false;
}

void ClientMux::deliver(Endpoint& endpoint, size_t i) {
  const msghdr& header = headers_[i].msg_hdr;
  arrivalNs_ = arrivalTimes_ ? arrivalOf(header, batchOffsetNs_) : 0;
  endpoint.onDatagram(static_cast<uint8_t*>(vectors_[i].iov_base), headers_[i].msg_len, from_[i], header.msg_namelen);
}

void ClientMux::readEndpoint(Endpoint& endpoint) {
  reading_ = &endpoint;
  for (int round = 0; round < kRoundsPerWakeup && reading_ != nullptr; ++round) {
    const size_t count = receive(endpoint.fd(), arrivalTimes_ ? kControlBytes : 0);
    for (size_t i = 0; i < count && reading_ != nullptr; ++i) {
      if (usable(i)) deliver(endpoint, i);
    }
    if (count < kReceiveBatch) break;
  }
  reading_ = nullptr;
  arrivalNs_ = 0;
}

void ClientMux::readShared() {
  for (int round = 0; round < sharedRounds_; ++round) {
    const size_t count = receive(shared_->fd(), kControlBytes);  // IP_PKTINFO always
    // Every datagram's slot first (from its control message, already at hand), so that the
    // dispatch below can look ahead.
    for (size_t i = 0; i < count; ++i) {
      if (!usable(i)) {
        batch_[i] = kTruncated;
        continue;
      }
      const auto slot = shared_->slotOf(headers_[i].msg_hdr);
      batch_[i] = slot ? *slot : kNoSlot;
    }
    if (count == 0) break;
    prefetchSlot(batch_[0]);
    if (count > 1) prefetchSlot(batch_[1]);
    prefetchLines(batch_[0]);
    for (size_t i = 0; i < count; ++i) {
      if (i + 2 < count) prefetchSlot(batch_[i + 2]);
      if (i + 1 < count) prefetchLines(batch_[i + 1]);
      const uint32_t slot = batch_[i];
      if (slot == kTruncated) continue;
      // Looked up now, not with the slots above: an endpoint detached by an earlier datagram's
      // callback gets nothing more (and slots_ may have grown).
      Endpoint* const endpoint = slot < slots_.size() ? slots_[slot].endpoint : nullptr;
      if (endpoint == nullptr) {
        ++stats_.unclaimed;
        continue;
      }
      deliver(*endpoint, i);
      // The endpoint's lines are hot now: take them again every kLinesRefreshPeriod datagrams, if
      // the callback left it attached.
      if (slot < slots_.size() && slots_[slot].endpoint == endpoint && slots_[slot].untilRefresh-- == 0) {
        Slot& entry = slots_[slot];
        entry.untilRefresh = kLinesRefreshPeriod - 1;
        entry.lines.clear();
        endpoint->addReceiveLines(entry.lines);
      }
    }
    if (count < kReceiveBatch) break;
  }
  arrivalNs_ = 0;
}

void ClientMux::tick() {
  nowUs_ = g_get_monotonic_time();
  for (size_t i = 0; i < endpoints_.size(); ++i) endpoints_[i]->onTick(nowUs_);
}

}  // namespace diemcau::media
