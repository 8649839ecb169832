#include "media/ice/UdpMux.hpp"

#include "media/ice/LiteIceTransport.hpp"
#include "media/ice/MuxSocket.hpp"
#include "media/worker/Worker.hpp"

#include <glib-unix.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace diemcau::media {

namespace {
// Consent is looked at twice a second for every transport of the worker: detection within the
// timeout + 0.5 s, and one timer wakeup per worker instead of one per transport.
constexpr Timer::Duration kConsentPeriod{500};
}  // namespace

struct UdpMux::Socket {
  MuxSocket socket;
  UdpMux* mux = nullptr;
  size_t index = 0;
  GSourcePtr source;
};

UdpMux::UdpMux(Worker& worker, const IceConfig& config, uint16_t port)
    : worker_(worker),
      receiveData_(std::make_unique<uint8_t[]>(kReceiveBatch * kReceiveBytes)),
      consentTimer_(worker, [this] { checkConsent(); }) {
  bindSockets(config, port);
  // Each header points at its own slot and address once; a read resets only what the kernel
  // writes back into the headers it filled (the address length, the flags).
  for (size_t i = 0; i < kReceiveBatch; ++i) {
    receiveVectors_[i] = {receiveData_.get() + i * kReceiveBytes, kReceiveBytes};
    msghdr& header = receiveHeaders_[i].msg_hdr;
    header = {};
    header.msg_name = &receiveFrom_[i];
    header.msg_namelen = sizeof(sockaddr_storage);
    header.msg_iov = &receiveVectors_[i];
    header.msg_iovlen = 1;
  }
  for (auto& socket : sockets_) {
    GSource* source = g_unix_fd_source_new(socket->socket.fd(), G_IO_IN);
    g_source_set_callback(source, reinterpret_cast<GSourceFunc>(reinterpret_cast<void (*)()>(&UdpMux::onReadable)),
                          socket.get(), nullptr);
    g_source_attach(source, worker.context());
    socket->source.reset(source);
  }
  nowUs_ = g_get_monotonic_time();
  consentTimer_.start(kConsentPeriod, kConsentPeriod);
  spdlog::info("udp mux on {}: port {}, {} socket(s), {} advertised address(es)", worker.name(), port_,
               sockets_.size(), advertised_.size());
}

UdpMux::~UdpMux() {
  if (!transports_.empty()) {
    spdlog::critical("udp mux: destroyed with {} transport(s) still attached", transports_.size());
    for (auto* transport : transports_) transport->detachFromMux();
  }
}

uint16_t UdpMux::port() const { return port_; }

void UdpMux::bindSockets(const IceConfig& config, uint16_t port) {
  const int buffer = config.receiveBufferBytes > 0 ? config.receiveBufferBytes : kDefaultSocketBuffer;
  std::vector<std::string> binds = config.localAddresses;
  const bool wildcard = binds.empty();
  if (wildcard) binds.push_back("0.0.0.0");
  for (const auto& ip : binds) {
    // The first socket takes the asked port (maybe ephemeral); the others share the one it got,
    // so every host candidate of a worker names the same port.
    auto socket = std::make_unique<Socket>(Socket{MuxSocket::bind(ip, sockets_.empty() ? port : port_, buffer)});
    socket->mux = this;
    socket->index = sockets_.size();
    if (sockets_.empty()) port_ = socket->socket.port();
    if (!wildcard) advertised_.push_back({ip, socket->socket.family(), socket->index});
    sockets_.push_back(std::move(socket));
  }
  if (wildcard) {
    for (auto& ip : MuxSocket::interfaceAddresses()) advertised_.push_back({std::move(ip), AF_INET, 0});
    if (advertised_.empty()) spdlog::warn("udp mux: no non-loopback IPv4 interface to advertise");
  }
}

gboolean UdpMux::onReadable(gint, GIOCondition, gpointer data) {
  auto* socket = static_cast<Socket*>(data);
  socket->mux->readSocket(socket->index);
  return G_SOURCE_CONTINUE;
}

void UdpMux::readSocket(size_t index) {
  const int fd = sockets_[index]->socket.fd();
  size_t filled = kReceiveBatch;  // headers a previous read may have written to (another socket's too)
  for (int round = 0; round < kBatchesPerWakeup; ++round) {
    for (size_t i = 0; i < filled; ++i) {
      receiveHeaders_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      receiveHeaders_[i].msg_hdr.msg_flags = 0;
    }
    const int received = ::recvmmsg(fd, receiveHeaders_.data(), kReceiveBatch, MSG_DONTWAIT, nullptr);
    if (received <= 0) break;  // EAGAIN: drained; another error: the source wakes us again
    filled = static_cast<size_t>(received);
    ++stats_.recvCalls;
    nowUs_ = g_get_monotonic_time();
    dispatching_ = true;
    for (int i = 0; i < received; ++i) {
      const msghdr& header = receiveHeaders_[i].msg_hdr;
      uint8_t* data = static_cast<uint8_t*>(receiveVectors_[i].iov_base);
      if ((header.msg_flags & MSG_TRUNC) != 0) {
        ++stats_.datagramsIn;
        ++stats_.unknownSource;  // longer than any WebRTC datagram: not ours to parse
        continue;
      }
      dispatch(index, data, receiveHeaders_[i].msg_len, static_cast<const sockaddr*>(header.msg_name),
               header.msg_namelen);
    }
    dispatching_ = false;
    flushSends();
    if (static_cast<size_t>(received) < kReceiveBatch) break;
  }
}

void UdpMux::handleDatagram(size_t socketIndex, uint8_t* data, size_t len, const sockaddr* from, socklen_t fromLen) {
  if (socketIndex >= sockets_.size() || (data == nullptr && len > 0)) return;
  nowUs_ = g_get_monotonic_time();
  // A batch of one: what the datagram makes transports send goes through the same queue.
  const bool outer = !dispatching_;
  dispatching_ = true;
  dispatch(socketIndex, data, len, from, fromLen);
  if (outer) {
    dispatching_ = false;
    flushSends();
  }
}

void UdpMux::dispatch(size_t socketIndex, uint8_t* data, size_t len, const sockaddr* from, socklen_t fromLen) {
  ++stats_.datagramsIn;
  const auto source = MuxAddress::from(from, fromLen);
  if (len == 0) return;  // RFC 7983 has nothing to classify, and no layer above wants it
  if (!source) {
    ++stats_.unknownSource;
    return;
  }
  if (StunResponder::looksLikeStun(data, len)) {
    handleStun(socketIndex, data, len, *source);
    return;
  }
  const auto it = byAddress_.find(*source);
  if (it == byAddress_.end()) {
    ++stats_.unknownSource;
    return;
  }
  it->second->onDatagram(data, len);
}

StunResponder::Credentials UdpMux::findUfrag(void* self, std::string_view ufrag) {
  auto* mux = static_cast<UdpMux*>(self);
  const auto it = mux->byUfrag_.find(ufrag);
  if (it == mux->byUfrag_.end() || !it->second->answersChecks()) return {};
  return {it->second, it->second->localPwd()};
}

void UdpMux::handleStun(size_t socketIndex, const uint8_t* data, size_t len, const MuxAddress& source) {
  // Rebuilt from the key rather than copied: `from` may be any length the caller claims.
  sockaddr_storage peer{};
  const socklen_t peerLength = source.toSockaddr(peer);
  const auto outcome = stun_.handle(data, len, peer, peerLength, &UdpMux::findUfrag, this, stunReply_);
  switch (outcome.verdict) {
    case StunResponder::Verdict::Ignored: return;
    case StunResponder::Verdict::Rejected: ++stats_.stunRejected; break;
    case StunResponder::Verdict::Accepted: ++stats_.stunRequests; break;
  }
  // The response goes first: a check that makes the transport Connected may make it send DTLS.
  if (outcome.replyLength > 0) {
    sendTo(socketIndex, reinterpret_cast<const sockaddr*>(&peer), peerLength, stunReply_.data(), outcome.replyLength);
  }
  if (outcome.verdict == StunResponder::Verdict::Accepted) {
    static_cast<LiteIceTransport*>(outcome.owner)->onCheck(socketIndex, source, outcome.useCandidate,
                                                            outcome.priority);
  }
}

int UdpMux::sendTo(size_t socketIndex, const sockaddr* to, socklen_t toLength, const uint8_t* data, size_t len) {
  if (socketIndex >= sockets_.size()) return -1;
  const int fd = sockets_[socketIndex]->socket.fd();
  if (dispatching_) {
    if (batch_.full()) flushSends();
    if (batch_.queue(fd, to, toLength, data, len)) return static_cast<int>(len);
    flushSends();  // too big for a slot: what was queued before it leaves first
  }
  ++stats_.sendCalls;
  const ssize_t sent = ::sendto(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT, to, toLength);
  if (sent < 0) {
    ++stats_.sendErrors;
    return -1;
  }
  ++stats_.datagramsOut;
  return static_cast<int>(sent);
}

std::span<uint8_t> UdpMux::reserveSend(size_t socketIndex, const sockaddr* to, socklen_t toLength, size_t capacity) {
  if (!dispatching_ || socketIndex >= sockets_.size()) return {};
  if (batch_.full()) flushSends();
  return batch_.reserve(sockets_[socketIndex]->socket.fd(), to, toLength, capacity);
}

int UdpMux::commitSend(size_t len) { return batch_.commit(len) ? static_cast<int>(len) : -1; }

void UdpMux::flushSends() {
  if (batch_.empty()) return;
  const auto counters = batch_.flush();
  stats_.sendCalls += counters.calls;
  stats_.datagramsOut += counters.datagrams;
  stats_.sendErrors += counters.errors;
}

void UdpMux::checkConsent() {
  nowUs_ = g_get_monotonic_time();
  // A transport that fails may be closed by its listener (never destroyed: see IceLink), which
  // unregisters it: walk a copy, in which removeTransport() clears whoever leaves meanwhile. That is
  // rare, so the sweep stays linear in the number of transports (it looked each one up in the
  // live list before: quadratic, about 250,000 comparisons twice a second with 700 transports).
  consentScratch_.assign(transports_.begin(), transports_.end());
  sweeping_ = true;
  for (auto* transport : consentScratch_) {
    if (transport != nullptr) transport->checkConsent(nowUs_);
  }
  sweeping_ = false;
}

void UdpMux::addTransport(LiteIceTransport& transport) { transports_.push_back(&transport); }

void UdpMux::removeTransport(LiteIceTransport& transport) {
  if (sweeping_) {
    std::replace(consentScratch_.begin(), consentScratch_.end(), &transport, static_cast<LiteIceTransport*>(nullptr));
  }
  std::erase(transports_, &transport);
  std::erase_if(byAddress_, [&](const auto& entry) { return entry.second == &transport; });
  std::erase_if(byUfrag_, [&](const auto& entry) { return entry.second == &transport; });
}

bool UdpMux::addUfrag(const std::string& ufrag, LiteIceTransport& transport) {
  return byUfrag_.try_emplace(ufrag, &transport).second;
}

void UdpMux::removeUfrag(const std::string& ufrag, LiteIceTransport& transport) {
  const auto it = byUfrag_.find(ufrag);
  if (it != byUfrag_.end() && it->second == &transport) byUfrag_.erase(it);
}

void UdpMux::bindAddress(const MuxAddress& address, LiteIceTransport& transport) {
  // A source address belongs to one transport: the latest valid check decides. The one it is
  // taken from (the peer's socket now serves another session) must stop sending there.
  auto [it, added] = byAddress_.try_emplace(address, &transport);
  if (added || it->second == &transport) return;
  LiteIceTransport* previous = it->second;
  it->second = &transport;
  previous->onPathTaken(address);
}

void UdpMux::unbindAddress(const MuxAddress& address, LiteIceTransport& transport) {
  const auto it = byAddress_.find(address);
  if (it != byAddress_.end() && it->second == &transport) byAddress_.erase(it);
}

}  // namespace diemcau::media
