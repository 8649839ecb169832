#pragma once

#include "media/ice/IceTransport.hpp"
#include "media/worker/Worker.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace diemcau::media::test {

/**
 * One side of a real ICE session in a test: an IceTransport on its own worker whose listener
 * trickles candidates to the other side through the other side's worker, as signaling would.
 */
class IcePeer : public IceTransport::Listener {
 public:
  static constexpr size_t kPacketSize = 200;
  static constexpr uint32_t kMaxSequences = 4096;

  IcePeer(Worker& worker, IceConfig config);
  ~IcePeer() override;

  /// Creates the transports, exchanges credentials and starts gathering on both sides.
  static void connectPair(IcePeer& a, IcePeer& b);
  /// ICE restart on both sides, with the new credentials and candidates exchanged.
  static void restartPair(IcePeer& a, IcePeer& b);

  void create();
  void destroy();
  bool waitForState(IceState state, std::chrono::milliseconds timeout);
  IceState lastState();
  /// Sends sequences [first, first + count) as numbered, patterned packets; returns how many the
  /// transport accepted. Paced in small bursts so loopback socket buffers never overflow.
  int sendNumbered(uint32_t first, uint32_t count);
  /// Distinct well-formed numbered packets received so far.
  uint32_t receivedDistinct();
  uint32_t receivedCorrupt() const { return corrupt_.load(); }
  /// Every datagram delivered, well-formed or not.
  uint32_t receivedTotal() const { return total_.load(); }
  std::vector<std::string> candidates();
  Worker& worker() { return worker_; }
  IceTransport* transport() { return transport_.get(); }
  void setRemote(IcePeer* remote) { remote_ = remote; }

  void onIceCandidate(const std::string& sdpCandidate) override;
  void onIceGatheringDone() override;
  void onIceStateChanged(IceState state) override;
  void onIcePacket(uint8_t* data, size_t len) override;

 private:
  Worker& worker_;
  IceConfig config_;
  IcePeer* remote_ = nullptr;
  std::unique_ptr<IceTransport> transport_;  // worker thread only
  std::vector<bool> seen_;                   // worker thread only
  std::atomic<uint32_t> distinct_{0};
  std::atomic<uint32_t> corrupt_{0};
  std::atomic<uint32_t> total_{0};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<IceState> states_;
  std::vector<std::string> trickled_;
};

}  // namespace diemcau::media::test
