#pragma once
// Pairs each SSRC a peer sends with one the bridge sends back, and swaps them in RTCP both ways.
#include <array>
#include <cstddef>
#include <cstdint>

namespace diemcau::bridge {

class SsrcMirror {
 public:
  enum Stream : size_t { kAudio = 0, kVideo = 1, kVideoRtx = 2, kStreamCount = 3 };

  /// Draws the bridge's SSRCs (distinct, non-zero) from `seed`-driven randomness.
  explicit SsrcMirror(uint64_t seed);

  uint32_t bridgeSsrc(Stream stream) const { return bridge_[stream]; }
  /// The sender SSRC of RTCP the bridge originates on this connection.
  uint32_t rtcpSsrc() const { return rtcpSsrc_; }
  /// Records the peer's SSRC for `stream` (learned from its first packet) and returns ours.
  uint32_t learn(Stream stream, uint32_t peerSsrc) {
    peer_[stream] = peerSsrc;
    return bridge_[stream];
  }
  /// Peer SSRC ↔ bridge SSRC; any other value is returned unchanged.
  uint32_t swap(uint32_t ssrc) const;

  /// Rewrites every SSRC field of the SR, RR and feedback packets of an RTCP compound in place and
  /// compacts the compound to those packets (SDES, BYE, APP and XR describe the peer's own session
  /// and are dropped). Returns the new length; 0 when nothing is left or the compound is malformed.
  size_t mirrorRtcp(uint8_t* data, size_t len) const;

 private:
  std::array<uint32_t, kStreamCount> bridge_{};
  std::array<uint32_t, kStreamCount> peer_{};
  uint32_t rtcpSsrc_ = 0;
};

}  // namespace diemcau::bridge
