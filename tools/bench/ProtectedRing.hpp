#pragma once
// An honest supply of SRTP packets for a receive-side benchmark.
//
// An inbound SrtpSession rejects a sequence number it has already seen (RFC 3711 §3.3.2 replay
// protection), so a benchmark cannot decrypt the same packet twice. The ring protects `count`
// packets with increasing sequence numbers before timing starts; the timed loop copies the next one
// into the receive buffer (the copy stands in for recvmsg, which also writes the datagram into our
// buffer) and decrypts it in place there. When the ring is used up, the feed swaps in a fresh
// inbound session with timing paused, so every timed unprotect is a first-seen, authentic packet.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/srtp/SrtpSession.hpp"

namespace diemcau::tools::bench {

class ProtectedRing {
 public:
  /// Packets of `packetSize` plain bytes (before the tag), SSRC 0x11111111, sequence 1..count.
  ProtectedRing(media::SrtpProfile profile, size_t packetSize, size_t count);

  size_t size() const { return lengths_.size(); }
  std::span<const uint8_t> packet(size_t i) const { return {&bytes_[i * stride_], lengths_[i]}; }
  /// A new inbound session with the ring's key that has seen none of its packets.
  media::SrtpSession makeInbound() const;

 private:
  media::SrtpProfile profile_;
  std::vector<uint8_t> keySalt_;
  size_t stride_;
  std::vector<uint8_t> bytes_;
  std::vector<size_t> lengths_;
};

/// Hands out the ring's packets in order to one inbound session, renewing the session (untimed)
/// whenever the ring wraps.
class InboundFeed {
 public:
  explicit InboundFeed(const ProtectedRing& ring) : ring_(ring), session_(ring.makeInbound()) {}

  /// Copies the next protected packet into `rx` (room for kSrtpMaxTrailer more than the ring's
  /// packets) and returns its length. Call inside the timed loop.
  size_t receive(benchmark::State& state, uint8_t* rx) {
    if (next_ == ring_.size()) {
      state.PauseTiming();
      session_ = ring_.makeInbound();
      next_ = 0;
      state.ResumeTiming();
    }
    const auto p = ring_.packet(next_++);
    std::copy(p.begin(), p.end(), rx);
    return p.size();
  }
  media::SrtpSession& session() { return session_; }

 private:
  const ProtectedRing& ring_;
  media::SrtpSession session_;
  size_t next_ = 0;
};

}  // namespace diemcau::tools::bench
