#include "IcePeer.hpp"

#include "media/worker/InvokeAndWait.hpp"

#include <thread>

namespace diemcau::media::test {

IcePeer::IcePeer(Worker& worker, IceConfig config) : worker_(worker), config_(std::move(config)) {
  seen_.assign(kMaxSequences, false);
}

IcePeer::~IcePeer() { destroy(); }

void IcePeer::create() {
  invokeAndWait(worker_, [this] { transport_ = std::make_unique<IceTransport>(worker_, config_, *this); });
}

void IcePeer::destroy() {
  invokeAndWait(worker_, [this] { transport_.reset(); });
}

void IcePeer::connectPair(IcePeer& a, IcePeer& b) {
  a.setRemote(&b);
  b.setRemote(&a);
  a.create();
  b.create();
  auto credsA = invokeAndWait(a.worker_, [&] { return std::pair(a.transport_->localUfrag(), a.transport_->localPwd()); });
  auto credsB = invokeAndWait(b.worker_, [&] { return std::pair(b.transport_->localUfrag(), b.transport_->localPwd()); });
  invokeAndWait(a.worker_, [&] { a.transport_->setRemoteCredentials(credsB.first, credsB.second); });
  invokeAndWait(b.worker_, [&] { b.transport_->setRemoteCredentials(credsA.first, credsA.second); });
  invokeAndWait(a.worker_, [&] { a.transport_->gather(); });
  invokeAndWait(b.worker_, [&] { b.transport_->gather(); });
}

void IcePeer::restartPair(IcePeer& a, IcePeer& b) {
  auto restart = [](IcePeer& p) {
    return invokeAndWait(p.worker_, [&] {
      p.transport_->restart();
      return std::tuple(p.transport_->localUfrag(), p.transport_->localPwd(), p.transport_->localCandidates());
    });
  };
  auto [ufragA, pwdA, candsA] = restart(a);
  auto [ufragB, pwdB, candsB] = restart(b);
  auto apply = [](IcePeer& p, const std::string& ufrag, const std::string& pwd, const std::vector<std::string>& cands) {
    invokeAndWait(p.worker_, [&] {
      p.transport_->setRemoteCredentials(ufrag, pwd);
      for (const auto& c : cands) p.transport_->addRemoteCandidate(c);
      p.transport_->remoteGatheringDone();
    });
  };
  apply(a, ufragB, pwdB, candsB);
  apply(b, ufragA, pwdA, candsA);
}

bool IcePeer::waitForState(IceState state, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return !states_.empty() && states_.back() == state; });
}

IceState IcePeer::lastState() {
  std::lock_guard lock(mutex_);
  return states_.empty() ? IceState::New : states_.back();
}

int IcePeer::sendNumbered(uint32_t first, uint32_t count) {
  constexpr uint32_t kBurst = 25;
  int accepted = 0;
  for (uint32_t begin = first; begin < first + count; begin += kBurst) {
    const uint32_t end = std::min(first + count, begin + kBurst);
    accepted += invokeAndWait(worker_, [&] {
      int ok = 0;
      uint8_t packet[kPacketSize];
      for (uint32_t seq = begin; seq < end; ++seq) {
        packet[0] = static_cast<uint8_t>(seq >> 24);
        packet[1] = static_cast<uint8_t>(seq >> 16);
        packet[2] = static_cast<uint8_t>(seq >> 8);
        packet[3] = static_cast<uint8_t>(seq);
        for (size_t i = 4; i < kPacketSize; ++i) packet[i] = static_cast<uint8_t>(seq + i);
        if (transport_ && transport_->send(packet, sizeof packet) == static_cast<int>(sizeof packet)) ++ok;
      }
      return ok;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return accepted;
}

uint32_t IcePeer::receivedDistinct() { return distinct_.load(); }

std::vector<std::string> IcePeer::candidates() {
  std::lock_guard lock(mutex_);
  return trickled_;
}

void IcePeer::onIceCandidate(const std::string& sdpCandidate) {
  {
    std::lock_guard lock(mutex_);
    trickled_.push_back(sdpCandidate);
  }
  if (remote_ == nullptr) return;
  IcePeer* remote = remote_;
  remote->worker_.post([remote, sdpCandidate] {
    if (remote->transport_) remote->transport_->addRemoteCandidate(sdpCandidate);
  });
}

void IcePeer::onIceGatheringDone() {
  if (remote_ == nullptr) return;
  IcePeer* remote = remote_;
  remote->worker_.post([remote] {
    if (remote->transport_) remote->transport_->remoteGatheringDone();
  });
}

void IcePeer::onIceStateChanged(IceState state) {
  std::lock_guard lock(mutex_);
  states_.push_back(state);
  changed_.notify_all();
}

void IcePeer::onIcePacket(uint8_t* data, size_t len) {
  ++total_;
  if (len != kPacketSize) {
    ++corrupt_;
    return;
  }
  const uint32_t seq = (uint32_t{data[0]} << 24) | (uint32_t{data[1]} << 16) | (uint32_t{data[2]} << 8) | data[3];
  for (size_t i = 4; i < len; ++i) {
    if (data[i] != static_cast<uint8_t>(seq + i)) {
      ++corrupt_;
      return;
    }
  }
  // The numbered pattern stands in for an SRTP auth tag: it is what makes a packet count as the
  // peer's for consent, as WebRtcTransport's successful unprotect does.
  if (transport_) transport_->noteAuthenticated();
  if (seq >= kMaxSequences || seen_[seq]) return;
  seen_[seq] = true;
  ++distinct_;
}

}  // namespace diemcau::media::test
