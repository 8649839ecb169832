#include "LitePeer.hpp"

#include "media/worker/InvokeAndWait.hpp"

#include <thread>

namespace diemcau::media::test {

LitePeer::LitePeer(UdpMux& mux, IceConfig config) : mux_(mux), config_(std::move(config)) {
  seen_.assign(IcePeer::kMaxSequences, false);
}

LitePeer::~LitePeer() { destroy(); }

void LitePeer::create() {
  invokeAndWait(worker(), [this] { transport_ = std::make_unique<LiteIceTransport>(mux_, config_, *this); });
}

void LitePeer::destroy() {
  invokeAndWait(worker(), [this] { transport_.reset(); });
}

void LitePeer::connect(IcePeer& full, LitePeer& lite, const std::string& wrongPwd) {
  lite.full_ = &full;
  full.create();
  lite.create();
  auto fullCreds =
      invokeAndWait(full.worker(), [&] { return std::pair(full.transport()->localUfrag(), full.transport()->localPwd()); });
  auto liteCreds =
      invokeAndWait(lite.worker(), [&] { return std::pair(lite.transport_->localUfrag(), lite.transport_->localPwd()); });
  if (!wrongPwd.empty()) liteCreds.second = wrongPwd;
  invokeAndWait(full.worker(), [&] { full.transport()->setRemoteCredentials(liteCreds.first, liteCreds.second); });
  invokeAndWait(lite.worker(), [&] { lite.transport_->setRemoteCredentials(fullCreds.first, fullCreds.second); });
  invokeAndWait(full.worker(), [&] { full.transport()->gather(); });
  invokeAndWait(lite.worker(), [&] { lite.transport_->gather(); });
}

void LitePeer::reconnect(IcePeer& freshFull, LitePeer& lite) {
  lite.full_ = &freshFull;
  freshFull.create();
  auto liteCreds = invokeAndWait(lite.worker(), [&] {
    lite.transport_->restart();
    return std::tuple(lite.transport_->localUfrag(), lite.transport_->localPwd(), lite.transport_->localCandidates());
  });
  auto fullCreds = invokeAndWait(freshFull.worker(), [&] {
    return std::pair(freshFull.transport()->localUfrag(), freshFull.transport()->localPwd());
  });
  invokeAndWait(lite.worker(), [&] { lite.transport_->setRemoteCredentials(fullCreds.first, fullCreds.second); });
  invokeAndWait(freshFull.worker(), [&] {
    freshFull.transport()->setRemoteCredentials(std::get<0>(liteCreds), std::get<1>(liteCreds));
    for (const auto& c : std::get<2>(liteCreds)) freshFull.transport()->addRemoteCandidate(c);
    freshFull.transport()->remoteGatheringDone();
    freshFull.transport()->gather();
  });
}

bool LitePeer::waitForState(IceState state, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return !states_.empty() && states_.back() == state; });
}

IceState LitePeer::lastState() {
  std::lock_guard lock(mutex_);
  return states_.empty() ? IceState::New : states_.back();
}

std::vector<IceState> LitePeer::states() {
  std::lock_guard lock(mutex_);
  return states_;
}

int LitePeer::sendNumbered(uint32_t first, uint32_t count) {
  constexpr uint32_t kBurst = 25;
  int accepted = 0;
  for (uint32_t begin = first; begin < first + count; begin += kBurst) {
    const uint32_t end = std::min(first + count, begin + kBurst);
    accepted += invokeAndWait(worker(), [&] {
      int ok = 0;
      uint8_t packet[IcePeer::kPacketSize];
      for (uint32_t seq = begin; seq < end; ++seq) {
        packet[0] = static_cast<uint8_t>(seq >> 24);
        packet[1] = static_cast<uint8_t>(seq >> 16);
        packet[2] = static_cast<uint8_t>(seq >> 8);
        packet[3] = static_cast<uint8_t>(seq);
        for (size_t i = 4; i < IcePeer::kPacketSize; ++i) packet[i] = static_cast<uint8_t>(seq + i);
        if (transport_ && transport_->send(packet, sizeof packet) == static_cast<int>(sizeof packet)) ++ok;
      }
      return ok;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return accepted;
}

void LitePeer::onIceCandidate(const std::string& sdpCandidate) {
  IcePeer* full = full_;
  if (full == nullptr) return;
  full->worker().post([full, sdpCandidate] {
    if (full->transport()) full->transport()->addRemoteCandidate(sdpCandidate);
  });
}

void LitePeer::onIceGatheringDone() {
  IcePeer* full = full_;
  if (full == nullptr) return;
  full->worker().post([full] {
    if (full->transport()) full->transport()->remoteGatheringDone();
  });
}

void LitePeer::onIceStateChanged(IceState state) {
  std::lock_guard lock(mutex_);
  states_.push_back(state);
  changed_.notify_all();
}

void LitePeer::onIcePacket(uint8_t* data, size_t len) {
  ++total_;
  if (echo_ && transport_) transport_->send(data, len);
  const auto seq = parseNumbered(data, len);
  if (!seq) {
    ++corrupt_;  // junk: delivered, but not the peer's as far as consent goes
    return;
  }
  // The numbered pattern stands in for an SRTP auth tag (what WebRtcTransport checks).
  if (transport_) transport_->noteAuthenticated();
  if (*seq >= IcePeer::kMaxSequences || seen_[*seq]) return;
  seen_[*seq] = true;
  ++distinct_;
}

void LitePeer::writeNumbered(uint8_t* packet, uint32_t seq) {
  packet[0] = 0x80;
  packet[1] = static_cast<uint8_t>(seq >> 24);
  packet[2] = static_cast<uint8_t>(seq >> 16);
  packet[3] = static_cast<uint8_t>(seq >> 8);
  packet[4] = static_cast<uint8_t>(seq);
  for (size_t i = 5; i < IcePeer::kPacketSize; ++i) packet[i] = static_cast<uint8_t>(seq + i);
}

std::optional<uint32_t> LitePeer::parseNumbered(const uint8_t* data, size_t len) {
  if (len != IcePeer::kPacketSize || data[0] != 0x80) return std::nullopt;
  const uint32_t seq = (uint32_t{data[1]} << 24) | (uint32_t{data[2]} << 16) | (uint32_t{data[3]} << 8) | data[4];
  for (size_t i = 5; i < len; ++i) {
    if (data[i] != static_cast<uint8_t>(seq + i)) return std::nullopt;
  }
  return seq;
}

int LitePeer::sendNumberedFrom(IcePeer& full, uint32_t first, uint32_t count) {
  constexpr uint32_t kBurst = 25;
  int accepted = 0;
  for (uint32_t begin = first; begin < first + count; begin += kBurst) {
    const uint32_t end = std::min(first + count, begin + kBurst);
    accepted += invokeAndWait(full.worker(), [&] {
      int ok = 0;
      uint8_t packet[IcePeer::kPacketSize];
      for (uint32_t seq = begin; seq < end; ++seq) {
        writeNumbered(packet, seq);
        if (full.transport() && full.transport()->send(packet, sizeof packet) == static_cast<int>(sizeof packet)) ++ok;
      }
      return ok;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return accepted;
}

}  // namespace diemcau::media::test
