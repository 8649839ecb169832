#pragma once

#include "media/ice/IceLink.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace diemcau::media::test {

/**
 * Owns one IceLink of any kind on its worker and records what the link tells its listener: the
 * states in order, and tagged test packets (0x80, a 32-bit tag, a 32-bit sequence number — the
 * first byte keeps them clear of STUN and DTLS, RFC 7983 §7).
 */
class LinkProbe : public IceLink::Listener {
 public:
  static constexpr size_t kPacketSize = 100;

  explicit LinkProbe(uint32_t tag) : tag_(tag) {}

  std::unique_ptr<IceLink> link;  // worker thread only

  /// Worker thread: sends `count` packets tagged with this probe's tag; returns those accepted.
  int sendTagged(uint32_t first, uint32_t count) {
    int ok = 0;
    uint8_t packet[kPacketSize] = {};
    packet[0] = 0x80;
    std::memcpy(packet + 1, &tag_, 4);
    for (uint32_t seq = first; seq < first + count; ++seq) {
      std::memcpy(packet + 5, &seq, 4);
      if (link && link->send(packet, sizeof packet) == static_cast<int>(sizeof packet)) ++ok;
    }
    return ok;
  }

  bool waitForState(IceState state, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return !states_.empty() && states_.back() == state; });
  }
  std::vector<IceState> states() {
    std::lock_guard lock(mutex_);
    return states_;
  }
  IceState lastState() {
    std::lock_guard lock(mutex_);
    return states_.empty() ? IceState::New : states_.back();
  }
  /// Packets tagged `tag` received so far, and packets with any other tag.
  uint32_t receivedFrom(uint32_t tag) const { return tag == peerTag_ ? fromPeer_.load() : 0; }
  uint32_t received() const { return fromPeer_.load() + foreign_.load(); }
  uint32_t foreign() const { return foreign_.load(); }
  uint32_t callbacksAfterClose() const { return afterClose_.load(); }
  /// The tag this probe expects its packets to carry.
  void expectFrom(uint32_t tag) { peerTag_ = tag; }

  void onIceCandidate(const std::string&) override { noteCallback(); }
  void onIceGatheringDone() override { noteCallback(); }
  void onIceStateChanged(IceState state) override {
    noteCallback();
    std::lock_guard lock(mutex_);
    states_.push_back(state);
    closed_ = state == IceState::Closed;
    changed_.notify_all();
  }
  void onIcePacket(uint8_t* data, size_t len) override {
    noteCallback();
    uint32_t tag = 0;
    if (len != kPacketSize || data[0] != 0x80) {
      ++foreign_;
      return;
    }
    std::memcpy(&tag, data + 1, 4);
    if (tag == peerTag_) {
      ++fromPeer_;
    } else {
      ++foreign_;
    }
  }

 private:
  void noteCallback() {
    if (closed_.load()) ++afterClose_;
  }

  uint32_t tag_;
  std::atomic<uint32_t> peerTag_{0};
  std::atomic<uint32_t> fromPeer_{0};
  std::atomic<uint32_t> foreign_{0};
  std::atomic<uint32_t> afterClose_{0};
  std::atomic<bool> closed_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<IceState> states_;
};

}  // namespace diemcau::media::test
