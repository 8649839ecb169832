#include "media/ice/ClientIceTransport.hpp"

#include "media/ice/CandidateLine.hpp"
#include "media/ice/IceRandom.hpp"
#include "media/ice/ListenerCall.hpp"
#include "media/worker/Worker.hpp"

#include <spdlog/spdlog.h>
#include <stun/usages/ice.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <exception>

namespace diemcau::media {

namespace {

constexpr std::chrono::seconds kConsentInterval{5};  // RFC 7675 §5.1: 4–6 s, randomized
// RFC 8445 §5.1.2.1 and §7.2.2: PRIORITY is that of a peer-reflexive candidate (type preference
// 110), the candidate the peer would learn from this check.
constexpr uint32_t kPeerReflexivePriority = (110u << 24) | (65535u << 8) | 255u;
gint64 toUs(std::chrono::milliseconds duration) { return static_cast<gint64>(duration.count()) * 1000; }

// Responses are checked against the key saved with their request; a request from the peer (a lite
// agent sends none) is not answered, so no key is offered for one.
bool noRequestKey(StunAgent*, StunMessage*, uint8_t*, uint16_t, uint8_t**, size_t*, void*) { return false; }

std::optional<MuxAddress> parseAddress(const std::string& ip, uint16_t port) {
  sockaddr_storage storage{};
  auto* in = reinterpret_cast<sockaddr_in*>(&storage);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, ip.c_str(), &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    return MuxAddress::from(reinterpret_cast<const sockaddr*>(&storage), sizeof(sockaddr_in));
  }
  if (::inet_pton(AF_INET6, ip.c_str(), &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    return MuxAddress::from(reinterpret_cast<const sockaddr*>(&storage), sizeof(sockaddr_in6));
  }
  return std::nullopt;
}

}  // namespace

ClientIceTransport::ClientIceTransport(ClientMux& mux, const IceConfig& config, Listener& listener, Role role)
    : mux_(&mux),
      listener_(listener),
      role_(role),
      bindAddress_(config.localAddresses.empty() ? std::string() : config.localAddresses.front()),
      receiveBufferBytes_(config.receiveBufferBytes),
      consentTimeoutUs_(toUs(config.effectiveConsentTimeout())),
      gatherTimer_(mux.worker(), [this] { emitCandidates(); }),
      tieBreaker_(randomWord()),
      jitter_(randomWord() | 1) {
  stun_agent_init(&agent_, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                  static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                   STUN_AGENT_USAGE_USE_FINGERPRINT));
  newCredentials();
}

ClientIceTransport::~ClientIceTransport() {
  if (mux_ != nullptr && !mux_->worker().isCurrentThread()) {
    spdlog::critical("ice-client: transport destroyed off its worker thread ({})", mux_->worker().name());
  }
  teardown();
}

void ClientIceTransport::newCredentials() {
  localUfrag_ = randomIceChars(8);  // RFC 8445 §5.3: at least 4 ice-chars
  localPwd_ = randomIceChars(24);   // at least 22
}

void ClientIceTransport::gather() {
  if (state_ == IceState::Closed || bound()) return;
  if (bindAddress_.empty()) {
    spdlog::error("ice-client: no local address to bind");
    setState(IceState::Failed);
    return;
  }
  if (mux_ == nullptr) {
    spdlog::error("ice-client: its mux is gone");
    setState(IceState::Failed);
    return;
  }
  try {
    if (const LoopbackClientSocket* shared = mux_->sharedSocket(); shared != nullptr) {
      sharedSlot_ = mux_->attachShared(*this);
      localAddress_ = shared->addressText(*sharedSlot_);
      localPort_ = shared->port();
    } else {
      socket_.emplace(MuxSocket::bind(bindAddress_, 0, receiveBufferBytes_));
      mux_->add(*this);
      localAddress_ = bindAddress_;
      localPort_ = socket_->port();
    }
  } catch (const std::exception& e) {
    spdlog::error("ice-client: {}", e.what());
    if (sharedSlot_ && mux_ != nullptr) mux_->detachShared(*this, *sharedSlot_);
    socket_.reset();
    sharedSlot_.reset();
    setState(IceState::Failed);
    return;
  }
  // The candidate is known at once, but the listener hears of it from the loop, as it does from
  // libnice: a caller may still be setting up around gather().
  gatherTimer_.start(Timer::Duration::zero());
  startCheck(g_get_monotonic_time());
}

void ClientIceTransport::emitCandidates() {
  if (state_ == IceState::Closed) return;
  for (const auto& line : localCandidates()) {
    callListener("ice-client", "onIceCandidate", [&] { listener_.onIceCandidate(line); });
    if (state_ == IceState::Closed) return;
  }
  callListener("ice-client", "onIceGatheringDone", [&] { listener_.onIceGatheringDone(); });
}

std::vector<std::string> ClientIceTransport::localCandidates() const {
  if (!bound()) return {};
  return {CandidateLine::host(0, localAddress_, localPort_)};
}

void ClientIceTransport::setRemoteCredentials(const std::string& ufrag, const std::string& pwd) {
  // The pending transaction's key is remotePwd_'s buffer: forget it before the string changes.
  forgetTransaction();
  remoteUfrag_ = ufrag;
  remotePwd_ = pwd;
  const gint64 nowUs = g_get_monotonic_time();
  if (role_ == Role::Lite) {
    if (state_ != IceState::Connected) checksSinceUs_ = nowUs;
    return;
  }
  startCheck(nowUs);
}

bool ClientIceTransport::addRemoteCandidate(const std::string& sdpCandidate) {
  const auto target = CandidateLine::udpTarget(sdpCandidate);
  if (!target) {
    if (CandidateLine::wellFormed(sdpCandidate)) return true;  // TCP, relay, a name: not checked here
    spdlog::warn("ice-client: malformed remote candidate ignored: '{}'", sdpCandidate.substr(0, 120));
    return false;
  }
  const auto address = parseAddress(target->ip, target->port);
  if (!address || remotes_.size() >= kMaxRemoteCandidates) return true;
  for (const auto& remote : remotes_) {
    if (remote.address == *address) return true;
  }
  remotes_.push_back({*address, target->priority});
  if (!pending_ && (state_ == IceState::New || state_ == IceState::Checking)) startCheck(g_get_monotonic_time());
  return true;
}

int ClientIceTransport::send(const uint8_t* data, size_t len) {
  // Connected, or New/Checking after a restart while the old path is still in use.
  if (!hasPath_ || !bound() || state_ == IceState::Failed || state_ == IceState::Closed) return -1;
  const ssize_t sent = sendTo(data, len, selectedTo_, selectedToLength_);
  return sent < 0 ? -1 : static_cast<int>(sent);
}

ssize_t ClientIceTransport::sendTo(const uint8_t* data, size_t len, const sockaddr_storage& to,
                                   socklen_t toLength) const {
  const auto* address = reinterpret_cast<const sockaddr*>(&to);
  if (sharedSlot_) return mux_ != nullptr ? mux_->sendShared(*sharedSlot_, data, len, address, toLength) : -1;
  return socket_ ? ::sendto(socket_->fd(), data, len, MSG_NOSIGNAL, address, toLength) : -1;
}

void ClientIceTransport::restart() {
  if (state_ == IceState::Closed) return;
  forgetTransaction();
  newCredentials();
  checksSinceUs_ = 0;  // the lite role waits for a check from when the peer's new credentials come
  // The checks resume with the peer's new credentials (setRemoteCredentials); the old path keeps
  // carrying traffic until then.
  setState(IceState::New);
}

void ClientIceTransport::close() {
  if (state_ == IceState::Closed) return;
  setState(IceState::Closed);
  teardown();
}

void ClientIceTransport::teardown() {
  gatherTimer_.stop();
  forgetTransaction();
  state_ = IceState::Closed;
  hasPath_ = false;
  if (mux_ != nullptr && socket_) mux_->remove(*this);
  if (mux_ != nullptr && sharedSlot_) mux_->detachShared(*this, *sharedSlot_);
  socket_.reset();
  sharedSlot_.reset();
  mux_ = nullptr;
}

std::optional<MuxAddress> ClientIceTransport::selectedAddress() const {
  if (!hasPath_) return std::nullopt;
  return selected_;
}

void ClientIceTransport::startCheck(gint64 nowUs) {
  if (role_ == Role::Lite || !bound() || state_ == IceState::Closed || state_ == IceState::Failed) return;
  if (remoteUfrag_.empty() || remotePwd_.empty()) return;
  const bool ipv4 = sharedSlot_.has_value() || socket_->family() == AF_INET;  // the shared socket is IPv4
  const int family = ipv4 ? 4 : 6;
  const Remote* best = nullptr;
  for (const auto& remote : remotes_) {
    if (remote.address.family == family && (best == nullptr || remote.priority > best->priority)) best = &remote;
  }
  if (best == nullptr) return;
  forgetTransaction();
  target_ = best->address;
  targetToLength_ = target_.toSockaddr(targetTo_);
  username_ = remoteUfrag_ + ":" + localUfrag_;
  StunMessage message;
  requestLength_ = stun_usage_ice_conncheck_create(
      &agent_, &message, request_.data(), request_.size(), reinterpret_cast<const uint8_t*>(username_.data()),
      username_.size(), reinterpret_cast<const uint8_t*>(remotePwd_.data()), remotePwd_.size(), /*cand_use=*/true,
      /*controlling=*/true, kPeerReflexivePriority, tieBreaker_, nullptr, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
  if (requestLength_ == 0) {
    spdlog::warn("ice-client: {} could not build a check", localUfrag_);
    return;
  }
  stun_message_id(&message, transaction_);
  pending_ = true;
  ++checksStarted_;
  retransmits_ = 0;
  // A consent check has no hurry; a check that connects does.
  retransmitUs_ = toUs(state_ == IceState::Connected ? kLastRetransmit : kFirstRetransmit);
  (void)sendTo(request_.data(), requestLength_, targetTo_, targetToLength_);
  nextSendUs_ = nowUs + retransmitUs_;
  if (state_ == IceState::New) {
    checksSinceUs_ = nowUs;
    setState(IceState::Checking);
  }
}

void ClientIceTransport::retransmit(gint64 nowUs) {
  (void)sendTo(request_.data(), requestLength_, targetTo_, targetToLength_);
  if (++retransmits_ >= kFastRetransmits) retransmitUs_ = std::min(retransmitUs_ * 2, toUs(kLastRetransmit));
  nextSendUs_ = nowUs + retransmitUs_;
}

void ClientIceTransport::forgetTransaction() {
  if (!pending_) return;
  stun_agent_forget_transaction(&agent_, transaction_);
  pending_ = false;
}

gint64 ClientIceTransport::consentIntervalUs() {
  // RFC 7675 §5.1: uniformly within ±20 % of the interval, so checks of many links spread out.
  jitter_ ^= jitter_ << 13;
  jitter_ ^= jitter_ >> 7;
  jitter_ ^= jitter_ << 17;
  const gint64 base = std::min(toUs(kConsentInterval), consentTimeoutUs_ / 3);
  const gint64 spread = base * 2 / 5;
  return base - spread / 2 + static_cast<gint64>(jitter_ % static_cast<uint64_t>(std::max<gint64>(spread, 1)));
}

void ClientIceTransport::onTick(gint64 nowUs) {
  if (!bound() || state_ == IceState::Closed || state_ == IceState::Failed) return;
  if (role_ == Role::Lite) {
    liteTick(nowUs);
    return;
  }
  if (state_ == IceState::Connected) {
    if (nowUs - lastConsentUs_ >= consentTimeoutUs_) {
      fail("consent lost: no answer to its checks");
    } else if (nowUs >= nextConsentUs_) {
      nextConsentUs_ = nowUs + consentIntervalUs();
      startCheck(nowUs);
    } else if (pending_ && nowUs >= nextSendUs_) {
      retransmit(nowUs);
    }
    return;
  }
  if (state_ != IceState::Checking) return;
  if (nowUs - checksSinceUs_ >= toUs(kChecksTimeout)) {
    fail("no success response to its checks");
  } else if (nowUs >= nextSendUs_) {
    if (pending_) {
      retransmit(nowUs);
    } else {
      startCheck(nowUs);  // the last one was answered with an error: a new transaction
    }
  }
}

void ClientIceTransport::onDatagram(uint8_t* data, size_t len, const sockaddr_storage& from, socklen_t fromLength) {
  if (state_ == IceState::Closed) return;
  const auto source = MuxAddress::from(reinterpret_cast<const sockaddr*>(&from), fromLength);
  if (!source) {
    ++dropped_;
    return;
  }
  if (data[0] <= 3) {  // RFC 7983 §7: STUN
    if (role_ == Role::Lite) {
      answerCheck(data, len, from, fromLength, *source);
    } else {
      onStun(data, len, *source);
    }
    return;
  }
  if (!hasPath_ || !(*source == selected_) || state_ == IceState::Failed) {
    ++dropped_;
    return;
  }
  callListener("ice-client", "onIcePacket", [&] { listener_.onIcePacket(data, len); });
}

void ClientIceTransport::addReceiveLines(CacheLines& lines) const noexcept {
  lines.add(static_cast<const ClientMux::Endpoint*>(this));  // the table onDatagram is called through
  lines.addMembers(mux_, selected_);
  listener_.addReceiveLines(lines);
}

void ClientIceTransport::onStun(const uint8_t* data, size_t len, const MuxAddress& source) {
  // RFC 5389 §6: a response has class bit C1 (0x0100) set; requests and indications are not ours.
  if (len < 20 || (((data[0] << 8) | data[1]) & 0x0100) == 0 || !pending_) {
    ++dropped_;
    return;
  }
  StunMessage message;
  const StunValidationStatus status = stun_agent_validate(&agent_, &message, data, len, &noRequestKey, nullptr);
  StunTransactionId id{};
  if (status == STUN_VALIDATION_SUCCESS) stun_message_id(&message, id);
  // RFC 8445 §7.2.5.2.1: the response must come from where the check went.
  if (status != STUN_VALIDATION_SUCCESS || std::memcmp(id, transaction_, sizeof id) != 0 || !(source == target_)) {
    ++dropped_;
    return;
  }
  // The agent matched the response to its request and let the transaction go.
  pending_ = false;
  if (stun_message_get_class(&message) != STUN_RESPONSE) {
    ++dropped_;  // an error (401: the peer has other credentials now): the next check is a new transaction
    return;
  }
  ++checkSuccesses_;
  const gint64 nowUs = g_get_monotonic_time();
  lastConsentUs_ = nowUs;
  if (!hasPath_ || !(selected_ == target_)) {
    selected_ = target_;
    selectedTo_ = targetTo_;
    selectedToLength_ = targetToLength_;
    hasPath_ = true;
  }
  if (state_ != IceState::Connected) {
    nextConsentUs_ = nowUs + consentIntervalUs();
    setState(IceState::Connected);
  }
}

StunResponder::Credentials ClientIceTransport::credentialsFor(void* self, std::string_view localUfrag) {
  const auto& link = *static_cast<const ClientIceTransport*>(self);
  // A failed link answers 401 (no credentials): the peer learns the path is gone and restarts.
  if (link.state_ == IceState::Failed || link.state_ == IceState::Closed || localUfrag != link.localUfrag_) return {};
  return {self, link.localPwd_};
}

// RFC 8445 §7.3.1.5 for the lite side, as LiteIceTransport: the first valid check gives a path at
// once; USE-CANDIDATE from another address moves it (after a restart the first valid check, made
// with the new credentials, selects afresh). This side has one candidate, so the pair the peer
// nominates is the only choice there is to make.
void ClientIceTransport::answerCheck(const uint8_t* data, size_t len, const sockaddr_storage& from,
                                     socklen_t fromLength, const MuxAddress& source) {
  if (mux_ == nullptr) return;
  std::array<uint8_t, StunResponder::kMaxReply> reply;
  const auto outcome =
      mux_->stunResponder().handle(data, len, from, fromLength, &ClientIceTransport::credentialsFor, this, reply);
  if (outcome.replyLength > 0) (void)sendTo(reply.data(), outcome.replyLength, from, fromLength);
  if (outcome.verdict != StunResponder::Verdict::Accepted) {
    if (outcome.verdict == StunResponder::Verdict::Rejected) ++dropped_;
    return;
  }
  ++checkSuccesses_;
  const bool moves = !hasPath_ || state_ != IceState::Connected || (outcome.useCandidate && !(source == selected_));
  if (moves) {
    selected_ = source;
    selectedToLength_ = source.toSockaddr(selectedTo_);
    hasPath_ = true;
  }
  if (source == selected_) lastConsentUs_ = mux_->nowUs();
  checksSinceUs_ = 0;
  setState(IceState::Connected);
}

void ClientIceTransport::liteTick(gint64 nowUs) {
  if (heard_) {
    heard_ = false;
    if (hasPath_) lastConsentUs_ = nowUs;
  }
  if (state_ == IceState::Connected) {
    if (nowUs - lastConsentUs_ >= consentTimeoutUs_) fail("consent lost: nothing authenticated from the peer");
    return;
  }
  if (checksSinceUs_ != 0 && nowUs - checksSinceUs_ >= toUs(kChecksTimeout)) fail("no valid check from the peer");
}

void ClientIceTransport::fail(const char* why) {
  spdlog::info("ice-client: {} {}", localUfrag_, why);
  forgetTransaction();
  hasPath_ = false;
  setState(IceState::Failed);
}

void ClientIceTransport::setState(IceState state) {
  if (state == state_) return;
  spdlog::debug("ice-client: {} {} -> {}", localUfrag_, toString(state_), toString(state));
  state_ = state;
  callListener("ice-client", "onIceStateChanged", [&] { listener_.onIceStateChanged(state); });
}

}  // namespace diemcau::media
