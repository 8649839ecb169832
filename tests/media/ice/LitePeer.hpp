#pragma once

#include "IcePeer.hpp"
#include "media/ice/LiteIceTransport.hpp"
#include "media/ice/UdpMux.hpp"
#include "media/worker/Worker.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::media::test {

/**
 * The ICE-lite side of a real session in a test: a LiteIceTransport on a shared UdpMux, whose
 * candidates go to a full-ICE IcePeer (the controlling agent) through that peer's worker, as
 * signaling would. Counts numbered packets like IcePeer, and can echo what it receives.
 */
class LitePeer : public IceLink::Listener {
 public:
  LitePeer(UdpMux& mux, IceConfig config);
  ~LitePeer() override;

  /// Creates both transports, exchanges credentials (the full side may be given a wrong lite
  /// password) and gathers on both sides.
  static void connect(IcePeer& full, LitePeer& lite, const std::string& wrongPwd = {});
  /// ICE restart of the lite side, answered by a fresh full peer (the old one is gone).
  static void reconnect(IcePeer& freshFull, LitePeer& lite);

  void create();
  void destroy();
  bool waitForState(IceState state, std::chrono::milliseconds timeout);
  IceState lastState();
  std::vector<IceState> states();
  /// Sends numbered packets in IcePeer's format (what IcePeer counts).
  int sendNumbered(uint32_t first, uint32_t count);
  /// Sends numbered packets from the full side in this peer's format: IcePeer's first byte is 0
  /// for small numbers, which RFC 7983 says is STUN, so these start with 0x80 (RTP) instead.
  static int sendNumberedFrom(IcePeer& full, uint32_t first, uint32_t count);
  static void writeNumbered(uint8_t* packet, uint32_t seq);
  static std::optional<uint32_t> parseNumbered(const uint8_t* data, size_t len);
  uint32_t receivedDistinct() const { return distinct_.load(); }
  uint32_t receivedCorrupt() const { return corrupt_.load(); }
  uint32_t receivedTotal() const { return total_.load(); }
  void setEcho(bool echo) { echo_ = echo; }
  Worker& worker() { return mux_.worker(); }
  LiteIceTransport* transport() { return transport_.get(); }

  void onIceCandidate(const std::string& sdpCandidate) override;
  void onIceGatheringDone() override;
  void onIceStateChanged(IceState state) override;
  void onIcePacket(uint8_t* data, size_t len) override;

 private:
  UdpMux& mux_;
  IceConfig config_;
  IcePeer* full_ = nullptr;
  std::unique_ptr<LiteIceTransport> transport_;  // worker thread only
  std::vector<bool> seen_;                       // worker thread only
  std::atomic<bool> echo_{false};
  std::atomic<uint32_t> distinct_{0};
  std::atomic<uint32_t> corrupt_{0};
  std::atomic<uint32_t> total_{0};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<IceState> states_;
};

}  // namespace diemcau::media::test
