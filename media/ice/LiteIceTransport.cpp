#include "media/ice/LiteIceTransport.hpp"

#include "media/ice/CandidateLine.hpp"
#include "media/ice/IceRandom.hpp"
#include "media/ice/ListenerCall.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/worker/Worker.hpp"

#include <spdlog/spdlog.h>

#include <arpa/inet.h>

#include <algorithm>
#include <array>

namespace diemcau::media {

namespace {

// A peer whose checks never arrive fails after the consent timeout, but not before a full agent's
// own checks would (about 5 s with libnice): a lite agent sends no checks, so nothing else ends it.
constexpr std::chrono::seconds kChecksFail{5};
// RFC 8445 §6.1.2.3: G is the priority of the controlling agent's candidate (the peer's, as its
// check's PRIORITY gives it), D that of the controlled agent's (ours).
uint64_t pairPriority(uint32_t controlling, uint32_t controlled) {
  const uint64_t g = controlling;
  const uint64_t d = controlled;
  return (std::min(g, d) << 32) + 2 * std::max(g, d) + (g > d ? 1 : 0);
}

}  // namespace

LiteIceTransport::LiteIceTransport(UdpMux& mux, const IceConfig& config, Listener& listener)
    : mux_(&mux),
      listener_(listener),
      consentTimeoutUs_(
          std::chrono::duration_cast<std::chrono::microseconds>(config.effectiveConsentTimeout()).count()),
      connectTimeoutUs_(std::max<gint64>(consentTimeoutUs_, std::chrono::microseconds(kChecksFail).count())),
      pathQuietUs_(std::min<gint64>(consentTimeoutUs_ / 2, std::chrono::microseconds(kPathQuiet).count())),
      gatherTimer_(mux.worker(), [this] { emitCandidates(); }) {
  if (config.announcedAddress) {
    in6_addr probe{};
    if (::inet_pton(AF_INET, config.announcedAddress->c_str(), &probe) == 1) {
      announcedFamily_ = AF_INET;
    } else if (::inet_pton(AF_INET6, config.announcedAddress->c_str(), &probe) == 1) {
      announcedFamily_ = AF_INET6;
    } else {
      throw std::invalid_argument("ice-lite: not an IP address: '" + *config.announcedAddress + "'");
    }
    announced_ = *config.announcedAddress;
  }
  newCredentials();
  mux.addTransport(*this);
}

LiteIceTransport::~LiteIceTransport() {
  if (mux_ != nullptr && !mux_->worker().isCurrentThread()) {
    spdlog::critical("ice-lite: transport destroyed off its worker thread ({})", mux_->worker().name());
  }
  teardown();
}

void LiteIceTransport::newCredentials() {
  // The ufrag names this transport on the shared socket: it must be unique among the mux's.
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string ufrag = randomIceChars(kUfragLength);
    if (mux_->addUfrag(ufrag, *this)) {
      localUfrag_ = std::move(ufrag);
      localPwd_ = randomIceChars(kPwdLength);
      return;
    }
  }
  throw std::runtime_error("ice-lite: no unique ufrag after 16 draws");
}

void LiteIceTransport::gather() {
  if (mux_ == nullptr || state_ == IceState::Closed) return;
  // Host candidates are known at once, but the listener hears of them from the loop, as it does
  // from libnice: a caller may still be setting up around gather().
  gatherTimer_.start(Timer::Duration::zero());
}

void LiteIceTransport::emitCandidates() {
  if (state_ == IceState::Closed) return;
  for (const auto& line : localCandidates()) {
    callListener("ice-lite", "onIceCandidate", [&] { listener_.onIceCandidate(line); });
    if (state_ == IceState::Closed) return;
  }
  callListener("ice-lite", "onIceGatheringDone", [&] { listener_.onIceGatheringDone(); });
}

std::vector<std::string> LiteIceTransport::localCandidates() const {
  std::vector<std::string> out;
  if (mux_ == nullptr) return out;
  std::vector<std::string_view> written;  // several bound addresses may be announced as one
  const auto& addresses = mux_->localAddresses();
  for (size_t i = 0; i < addresses.size(); ++i) {
    const auto& address = addresses[i];
    const std::string& ip = announced_ && address.family == announcedFamily_ ? *announced_ : address.ip;
    const std::string line = CandidateLine::host(i, ip, mux_->port());
    if (std::find(written.begin(), written.end(), ip) != written.end()) continue;
    written.push_back(ip);
    out.push_back(line);
  }
  return out;
}

void LiteIceTransport::setRemoteCredentials(const std::string& ufrag, const std::string& pwd) {
  remoteUfrag_ = ufrag;
  remotePwd_ = pwd;
  if (state_ != IceState::Connected && state_ != IceState::Closed) awaitingChecksSinceUs_ = g_get_monotonic_time();
}

bool LiteIceTransport::addRemoteCandidate(const std::string& sdpCandidate) {
  if (!CandidateLine::wellFormed(sdpCandidate)) {
    spdlog::warn("ice-lite: malformed remote candidate ignored: '{}'", sdpCandidate.substr(0, 120));
    return false;
  }
  return true;  // RFC 8445 §2.5: a lite agent learns the peer's address from its checks
}

void LiteIceTransport::remoteGatheringDone() {}

bool LiteIceTransport::canSend() const {
  return mux_ != nullptr && hasPath_ && !consentExpired_ && state_ != IceState::Closed && state_ != IceState::Failed;
}

int LiteIceTransport::send(const uint8_t* data, size_t len) {
  if (!canSend()) return -1;
  return mux_->sendTo(socketIndex_, reinterpret_cast<const sockaddr*>(&selectedTo_), selectedToLength_, data, len);
}

std::span<uint8_t> LiteIceTransport::reserveSend(size_t capacity) {
  if (!canSend()) return {};
  return mux_->reserveSend(socketIndex_, reinterpret_cast<const sockaddr*>(&selectedTo_), selectedToLength_, capacity);
}

int LiteIceTransport::commitSend(size_t len) {
  if (!canSend()) return -1;
  return mux_->commitSend(len);
}

void LiteIceTransport::addSendLines(CacheLines& lines) const noexcept {
  // The vtable pointer, then mux_ to selectedTo_, declared together (of the address, the start).
  lines.add(this);
  lines.addMembers(mux_, socketIndex_);
  lines.add(&selectedTo_, sizeof(sockaddr_in6));
}

void LiteIceTransport::restart() {
  if (mux_ == nullptr || state_ == IceState::Closed) return;
  mux_->removeUfrag(localUfrag_, *this);
  newCredentials();
  consentExpired_ = false;
  nominated_ = false;
  restarted_ = true;
  setState(IceState::New);
}

void LiteIceTransport::close() {
  if (state_ == IceState::Closed) return;
  setState(IceState::Closed);
  teardown();
}

void LiteIceTransport::teardown() {
  gatherTimer_.stop();
  state_ = IceState::Closed;
  hasPath_ = false;
  if (mux_ != nullptr) mux_->removeTransport(*this);
  mux_ = nullptr;
}

void LiteIceTransport::detachFromMux() {
  mux_ = nullptr;
  hasPath_ = false;
}

std::optional<MuxAddress> LiteIceTransport::selectedAddress() const {
  if (!hasPath_) return std::nullopt;
  return selected_;
}

// RFC 8445 §7.3.1.5 for the lite side: the first valid check gives a path to send on at once
// (the peer may start DTLS before it nominates); a check with USE-CANDIDATE makes its pair the
// selected one, replacing a provisional choice from another address. When the peer nominates
// several pairs, §8.1.1 has the agents use the nominated pair of highest priority, so a later
// nomination of a lower-priority pair does not take the path from a nominated one that still
// carries the peer's authenticated traffic. It does once that path has been quiet for
// pathQuietUs_: a real network change (the old address went away) must still move the path, and
// before consent on the old one runs out. An ICE restart selects afresh with its first check.
//
// This follows the RFC for an honest peer; it is no defence against a participant who spoofs
// source addresses, as that participant writes PRIORITY itself.
void LiteIceTransport::onCheck(size_t socketIndex, const MuxAddress& source, bool useCandidate,
                               uint32_t remotePriority) {
  if (mux_ == nullptr || state_ == IceState::Closed || consentExpired_) return;
  const uint64_t priority = pairPriority(remotePriority, CandidateLine::hostPriority(socketIndex));
  if (!hasPath_ || restarted_) {
    select(socketIndex, source);
    nominated_ = useCandidate;
    selectedPriority_ = priority;
    restarted_ = false;
  } else if (useCandidate) {
    const bool onSelected = source == selected_ && socketIndex == socketIndex_;
    if (onSelected || mayMoveTo(priority)) {
      if (!onSelected) select(socketIndex, source);
      nominated_ = true;
      selectedPriority_ = priority;
    }
  }
  // A check that passed MESSAGE-INTEGRITY on the selected path is consent (RFC 7675 §5.1 turned
  // around: the peer's own consent checks), whatever it nominates.
  if (source == selected_) lastHeardUs_ = mux_->nowUs();
  setState(IceState::Connected);
}

bool LiteIceTransport::mayMoveTo(uint64_t pairPriority) const {
  return !nominated_ || pairPriority >= selectedPriority_ || mux_->nowUs() - lastMediaUs_ >= pathQuietUs_;
}

void LiteIceTransport::select(size_t socketIndex, const MuxAddress& source) {
  if (hasPath_ && !(selected_ == source)) mux_->unbindAddress(selected_, *this);
  selected_ = source;
  socketIndex_ = socketIndex;
  selectedToLength_ = source.toSockaddr(selectedTo_);
  hasPath_ = true;
  lastHeardUs_ = mux_->nowUs();
  lastMediaUs_ = lastHeardUs_;
  mux_->bindAddress(source, *this);
}

void LiteIceTransport::dropPath() {
  if (hasPath_ && mux_ != nullptr) mux_->unbindAddress(selected_, *this);
  hasPath_ = false;
  nominated_ = false;
}

// Delivered, but not consent: anyone able to spoof the peer's address could send this. The
// listener calls noteAuthenticated() when it turns out to be the peer's.
void LiteIceTransport::onDatagram(uint8_t* data, size_t len) {
  if (consentExpired_ || state_ == IceState::Closed) return;
  callListener("ice-lite", "onIcePacket", [&] { listener_.onIcePacket(data, len); });
}

void LiteIceTransport::noteAuthenticated() noexcept {
  if (mux_ == nullptr || !hasPath_ || consentExpired_) return;
  // The receive batch's clock (or, outside one, the mux's last reading, which is only earlier).
  lastHeardUs_ = mux_->nowUs();
  lastMediaUs_ = lastHeardUs_;
}

// RFC 7675 §5.1: a peer that sent nothing proving it holds the keys (no valid check, no
// authenticated SRTP/SRTCP/DTLS) for the consent timeout is gone. A WebRTC session always carries
// RTCP every few seconds and a browser checks consent every 4-6 s, so this is not a quiet call.
void LiteIceTransport::checkConsent(gint64 nowUs) {
  if (state_ == IceState::Closed) return;
  if (state_ != IceState::Connected && awaitingChecksSinceUs_ != 0) {
    if (nowUs - awaitingChecksSinceUs_ < connectTimeoutUs_) return;
    spdlog::info("ice-lite: {} no check from the peer in {} ms", localUfrag_, (nowUs - awaitingChecksSinceUs_) / 1000);
    awaitingChecksSinceUs_ = 0;
    setState(IceState::Failed);
    return;
  }
  if (!hasPath_ || consentExpired_) return;
  const gint64 silentUs = nowUs - lastHeardUs_;
  if (silentUs < consentTimeoutUs_) return;
  spdlog::info("ice-lite: {} nothing authenticated for {} ms, consent lost", localUfrag_, silentUs / 1000);
  consentExpired_ = true;
  dropPath();
  setState(IceState::Failed);
}

// Another transport of the mux took our selected address with a valid check: the peer's socket
// belongs to a new session now (a reconnect that reused its port), and what we would send there
// is noise to it. Treated as lost consent.
void LiteIceTransport::onPathTaken(const MuxAddress& address) {
  if (!hasPath_ || !(selected_ == address) || state_ == IceState::Closed) return;
  spdlog::info("ice-lite: {} lost its path to another transport", localUfrag_);
  hasPath_ = false;
  nominated_ = false;
  consentExpired_ = true;
  setState(IceState::Failed);
}

void LiteIceTransport::setState(IceState state) {
  if (state == state_) return;
  spdlog::debug("ice-lite: {} {} -> {}", localUfrag_, toString(state_), toString(state));
  state_ = state;
  if (state == IceState::Connected) awaitingChecksSinceUs_ = 0;
  callListener("ice-lite", "onIceStateChanged", [&] { listener_.onIceStateChanged(state); });
}

}  // namespace diemcau::media
