#include "media/ice/IceTransport.hpp"

#include "media/ice/IceCandidateSdp.hpp"
#include "media/ice/ListenerCall.hpp"
#include "media/ice/MuxSocket.hpp"
#include "media/worker/Worker.hpp"

#include <spdlog/spdlog.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace diemcau::media {

namespace {

constexpr guint kComponent = 1;  // BUNDLE + rtcp-mux: RTP, RTCP, DTLS all on component 1

NiceAddress parseAddress(const std::string& text) {
  NiceAddress address;
  nice_address_init(&address);
  if (!nice_address_set_from_string(&address, text.c_str())) {
    throw std::invalid_argument("ice: not an IP address: '" + text + "'");
  }
  return address;
}

std::chrono::milliseconds consentCheckPeriod(std::chrono::seconds timeout) {
  // Authenticated traffic is noted as a flag the timer reads, so a look dates it up to one period
  // late and detection takes up to timeout + 2 periods: eight looks per timeout keep that within
  // timeout + 25 %.
  auto period = std::chrono::duration_cast<std::chrono::milliseconds>(timeout) / 8;
  return std::max(period, std::chrono::milliseconds(100));
}

}  // namespace

IceTransport::IceTransport(Worker& worker, const IceConfig& config, Listener& listener)
    : worker_(worker),
      listener_(listener),
      // 0: RFC 7675 §5.1's 30 s.
      consentTimeout_(config.effectiveConsentTimeout()),
      receiveBufferBytes_(config.receiveBufferBytes),
      consentTimer_(worker, [this] { checkConsent(); }) {
  if (config.portMin > config.portMax && config.portMax != 0) {
    throw std::invalid_argument("ice: port range min > max");
  }
  std::vector<NiceAddress> locals;
  for (const auto& text : config.localAddresses) locals.push_back(parseAddress(text));
  if (config.announcedAddress) announced_ = parseAddress(*config.announcedAddress);

  // RFC 8445 full ICE, trickle (RFC 8838) so checks start before gathering ends, regular
  // nomination (RFC 8445 §8.1.1; aggressive nomination is deprecated). No RELIABLE flag:
  // datagrams, not pseudo-TCP.
  //
  // Not libnice's consent freshness (NICE_AGENT_OPTION_CONSENT_FRESHNESS): libnice 0.1.21 sends one
  // consent check about every 5 s, never retransmits it, and fails the pair after about 10 s
  // without an answer, so two checks lost in a row on a lossy rural link (5 % each way) kill a
  // connection that still carries media; integration.nack_delay saw it in 8 of 32 meetings.
  // RFC 7675 consent is kept by checkConsent() below instead: the peer's authenticated traffic
  // (SRTP and SRTCP that passed their auth tag, DTLS the session accepted: noteAuthenticated(); a
  // WebRTC peer sends RTCP every second or so) is its consent, and consentTimeout without any
  // withdraws it. A datagram that merely comes from the peer's address does not count: anyone who
  // can spoof that address could keep a dead path alive. libnice still answers the peer's own
  // consent checks and sends its RFC 8445 §11 keepalives; those checks are not seen here (libnice
  // 0.1.21 signals none of them), so they do not count either.
  const auto flags = static_cast<NiceAgentOption>(NICE_AGENT_OPTION_ICE_TRICKLE | NICE_AGENT_OPTION_REGULAR_NOMINATION);
  agent_.reset(nice_agent_new_full(worker.context(), NICE_COMPATIBILITY_RFC5245, flags));
  if (!agent_) throw std::runtime_error("ice: nice_agent_new_full failed");
  g_object_set(agent_.get(), "controlling-mode", config.controlling ? TRUE : FALSE, "ice-udp", TRUE, "ice-tcp",
               config.iceTcp ? TRUE : FALSE, "upnp", FALSE, nullptr);
  for (auto& address : locals) nice_agent_add_local_address(agent_.get(), &address);

  streamId_ = nice_agent_add_stream(agent_.get(), 1);
  if (streamId_ == 0) throw std::runtime_error("ice: nice_agent_add_stream failed");
  if (config.portMin != 0 || config.portMax != 0) {
    nice_agent_set_port_range(agent_.get(), streamId_, kComponent, config.portMin, config.portMax);
  }
  refreshCredentials();

  g_signal_connect(agent_.get(), "new-candidate-full", G_CALLBACK(&IceTransport::onNewCandidate), this);
  g_signal_connect(agent_.get(), "candidate-gathering-done", G_CALLBACK(&IceTransport::onGatheringDone), this);
  g_signal_connect(agent_.get(), "component-state-changed", G_CALLBACK(&IceTransport::onComponentState), this);
  g_signal_connect(agent_.get(), "new-selected-pair-full", G_CALLBACK(&IceTransport::onSelectedPair), this);
  nice_agent_attach_recv(agent_.get(), streamId_, kComponent, worker.context(), &IceTransport::onRecv, this);
}

IceTransport::~IceTransport() {
  if (!worker_.isCurrentThread()) {
    spdlog::critical("ice: transport destroyed off its worker thread ({})", worker_.name());
  }
  teardown();
}

void IceTransport::refreshCredentials() {
  gchar* ufrag = nullptr;
  gchar* pwd = nullptr;
  if (!nice_agent_get_local_credentials(agent_.get(), streamId_, &ufrag, &pwd)) {
    throw std::runtime_error("ice: no local credentials");
  }
  GCharPtr ufragOwner(ufrag);
  GCharPtr pwdOwner(pwd);
  localUfrag_ = ufrag;
  localPwd_ = pwd;
}

void IceTransport::setControlling(bool controlling) {
  if (!agent_) return;  // closed
  g_object_set(agent_.get(), "controlling-mode", controlling ? TRUE : FALSE, nullptr);
}

bool IceTransport::controlling() const {
  gboolean mode = FALSE;
  if (!agent_) return false;
  g_object_get(agent_.get(), "controlling-mode", &mode, nullptr);
  return mode != FALSE;
}

void IceTransport::gather() {
  if (!agent_) return;
  if (!nice_agent_gather_candidates(agent_.get(), streamId_)) {
    spdlog::error("ice: gathering failed to start (no usable local address?)");
    setState(IceState::Failed);
  }
}

std::vector<std::string> IceTransport::localCandidates() const {
  std::vector<std::string> out;
  if (!agent_) return out;
  NiceCandidateList list(nice_agent_get_local_candidates(agent_.get(), streamId_, kComponent));
  for (GSList* item = list.get(); item != nullptr; item = item->next) {
    auto text = IceCandidateSdp::write(agent_.get(), *static_cast<NiceCandidate*>(item->data),
                                       announced_ ? &*announced_ : nullptr);
    if (!text.empty()) out.push_back(std::move(text));
  }
  return out;
}

void IceTransport::setRemoteCredentials(const std::string& ufrag, const std::string& pwd) {
  if (!agent_) return;
  if (!nice_agent_set_remote_credentials(agent_.get(), streamId_, ufrag.c_str(), pwd.c_str())) {
    spdlog::warn("ice: remote credentials refused");
  }
}

bool IceTransport::addRemoteCandidate(const std::string& sdpCandidate) {
  if (!agent_) return false;
  NiceCandidatePtr candidate = IceCandidateSdp::parse(agent_.get(), streamId_, sdpCandidate);
  if (!candidate) {
    spdlog::warn("ice: malformed remote candidate ignored: '{}'", sdpCandidate.substr(0, 120));
    return false;
  }
  GSList single = {candidate.get(), nullptr};
  if (nice_agent_set_remote_candidates(agent_.get(), streamId_, kComponent, &single) < 1) {
    // Well formed but of a kind this agent does not pair (e.g. TCP while ICE-TCP is off): the peer
    // did nothing wrong, so it is accepted and simply not used.
    spdlog::debug("ice: remote candidate not usable here: '{}'", sdpCandidate.substr(0, 120));
  }
  return true;
}

void IceTransport::remoteGatheringDone() {
  if (agent_) nice_agent_peer_candidate_gathering_done(agent_.get(), streamId_);
}

int IceTransport::send(const uint8_t* data, size_t len) {
  if (!agent_ || state_ != IceState::Connected) return -1;
  if (directFd_ >= 0 && !g_socket_is_closed(directSocket_.get())) {
    // Non-blocking socket (libnice made it so): a full send buffer drops the datagram, as
    // libnice itself does for UDP.
    const ssize_t sent = ::sendto(directFd_, data, len, MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&directTo_),
                                  directToLength_);
    return sent < 0 ? -1 : static_cast<int>(sent);
  }
  return nice_agent_send(agent_.get(), streamId_, kComponent, static_cast<guint>(len),
                         reinterpret_cast<const gchar*>(data));
}

void IceTransport::restart() {
  if (!agent_) return;
  if (!nice_agent_restart_stream(agent_.get(), streamId_)) {
    spdlog::error("ice: restart refused by libnice");
    return;
  }
  refreshCredentials();
  consentExpired_ = false;
  consentTimer_.stop();
  // New credentials mean the old pair is no longer valid for sending until checks succeed.
  clearDirectPath();
  setState(IceState::New);
}

void IceTransport::close() {
  if (!agent_) return;
  setState(IceState::Closed);
  teardown();
}

void IceTransport::teardown() {
  if (!agent_) return;
  consentTimer_.stop();
  // Shutdown barrier: we are on the context's thread, so after these calls libnice cannot call
  // back into this object (detaching on the owning thread is synchronous).
  nice_agent_attach_recv(agent_.get(), streamId_, kComponent, worker_.context(), nullptr, nullptr);
  g_signal_handlers_disconnect_by_data(agent_.get(), this);
  clearDirectPath();
  state_ = IceState::Closed;
  // The close callback owns the last reference; it needs nothing from this object.
  nice_agent_close_async(agent_.release(), &IceTransport::onAgentClosed, nullptr);
}

void IceTransport::onAgentClosed(GObject* agent, GAsyncResult*, gpointer) { g_object_unref(agent); }

void IceTransport::clearDirectPath() {
  directSocket_.reset();
  directFd_ = -1;
  directToLength_ = 0;
}

// Called whenever libnice (re)selects a pair: nomination, a better pair, an ICE restart.
void IceTransport::refreshDirectPath() {
  clearDirectPath();
  if (!agent_) return;
  // NULL for a relayed or TCP pair (TURN and RFC 4571 framing stay libnice's job).
  GSocket* socket = nice_agent_get_selected_socket(agent_.get(), streamId_, kComponent);
  if (socket == nullptr) return;
  std::unique_ptr<GSocket, GObjectUnref> owner(socket);
  NiceCandidate* local = nullptr;
  NiceCandidate* remote = nullptr;
  if (!nice_agent_get_selected_pair(agent_.get(), streamId_, kComponent, &local, &remote) || remote == nullptr) return;
  socklen_t length = 0;
  switch (nice_address_ip_version(&remote->addr)) {
    case 4: length = sizeof(sockaddr_in); break;
    case 6: length = sizeof(sockaddr_in6); break;
    default: return;
  }
  const int fd = g_socket_get_fd(socket);
  if (fd < 0 || g_socket_is_closed(socket)) return;
  if (receiveBufferBytes_ > 0) {
    // Best effort: a smaller buffer than asked only means more loss under a CPU stall.
    (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBufferBytes_, sizeof(receiveBufferBytes_));
  }
  // GLib's socket families are the system's AF_ values.
  setDontFragment(fd, static_cast<int>(g_socket_get_family(socket)));
  nice_address_copy_to_sockaddr(&remote->addr, reinterpret_cast<sockaddr*>(&directTo_));
  directToLength_ = length;
  directSocket_ = std::move(owner);
  directFd_ = fd;
}

void IceTransport::setState(IceState state) {
  if (state == state_) return;
  spdlog::debug("ice: {} -> {}", toString(state_), toString(state));
  state_ = state;
  listener_.onIceStateChanged(state);
}

void IceTransport::handleComponentState(NiceComponentState state) {
  if (state_ == IceState::Closed || consentExpired_) return;
  switch (state) {
    case NICE_COMPONENT_STATE_CONNECTING:
      setState(IceState::Checking);
      break;
    case NICE_COMPONENT_STATE_CONNECTED:
    case NICE_COMPONENT_STATE_READY:
      if (state_ != IceState::Connected) {
        lastReceivedUs_ = g_get_monotonic_time();
        if (consentTimeout_.count() > 0) {
          auto period = consentCheckPeriod(consentTimeout_);
          consentTimer_.start(period, period);
        }
      }
      if (directFd_ < 0) refreshDirectPath();
      setState(IceState::Connected);
      break;
    case NICE_COMPONENT_STATE_FAILED:
      clearDirectPath();
      consentTimer_.stop();
      setState(IceState::Failed);
      break;
    default:  // DISCONNECTED, GATHERING: nothing the layers above act on
      break;
  }
}

// RFC 7675 §5.1: without fresh consent a peer must stop sending. libnice's own consent freshness
// is off (see the constructor). A WebRTC session always carries DTLS, then RTCP at least every few
// seconds, so no authenticated packet for consentTimeout means the peer is gone. The clock starts
// at Connected, when the DTLS handshake must begin.
void IceTransport::checkConsent() {
  if (state_ != IceState::Connected) return;
  const gint64 nowUs = g_get_monotonic_time();
  if (std::exchange(authenticated_, false)) {
    lastReceivedUs_ = nowUs;
    return;
  }
  const gint64 silentUs = nowUs - lastReceivedUs_;
  if (silentUs < std::chrono::duration_cast<std::chrono::microseconds>(consentTimeout_).count()) return;
  spdlog::info("ice: no authenticated packet for {} ms, consent lost", silentUs / 1000);
  consentExpired_ = true;
  consentTimer_.stop();
  setState(IceState::Failed);
}

void IceTransport::onRecv(NiceAgent*, guint, guint, guint len, gchar* buf, gpointer data) {
  auto* self = static_cast<IceTransport*>(data);
  if (self->consentExpired_) return;  // RFC 7675 §5.1: consent gone, traffic is not accepted
  // Not consent yet: the listener calls noteAuthenticated() once the packet has authenticated.
  callListener("ice", "onIcePacket",
               [&] { self->listener_.onIcePacket(reinterpret_cast<uint8_t*>(buf), len); });
}

void IceTransport::onNewCandidate(NiceAgent* agent, NiceCandidate* candidate, gpointer data) {
  auto* self = static_cast<IceTransport*>(data);
  callListener("ice", "onIceCandidate", [&] {
    if (candidate->stream_id != self->streamId_) return;
    auto text = IceCandidateSdp::write(agent, *candidate, self->announced_ ? &*self->announced_ : nullptr);
    if (!text.empty()) self->listener_.onIceCandidate(text);
  });
}

void IceTransport::onGatheringDone(NiceAgent*, guint streamId, gpointer data) {
  auto* self = static_cast<IceTransport*>(data);
  if (streamId != self->streamId_) return;
  callListener("ice", "onIceGatheringDone", [&] { self->listener_.onIceGatheringDone(); });
}

void IceTransport::onSelectedPair(NiceAgent*, guint streamId, guint componentId, NiceCandidate*, NiceCandidate*,
                                  gpointer data) {
  auto* self = static_cast<IceTransport*>(data);
  if (streamId != self->streamId_ || componentId != kComponent) return;
  callListener("ice", "onSelectedPair", [&] { self->refreshDirectPath(); });
}

void IceTransport::onComponentState(NiceAgent*, guint streamId, guint componentId, guint state, gpointer data) {
  auto* self = static_cast<IceTransport*>(data);
  if (streamId != self->streamId_ || componentId != kComponent) return;
  callListener("ice", "onIceStateChanged",
               [&] { self->handleComponentState(static_cast<NiceComponentState>(state)); });
}

}  // namespace diemcau::media
