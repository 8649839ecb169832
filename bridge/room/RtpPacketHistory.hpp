#pragma once
// The recent packets of one incoming RTP stream (one SSRC), kept so a receiver's NACK can be
// answered by the bridge instead of travelling up to the publisher (RFC 4585 section 3.6.1: the
// repair comes from the nearest holder).
//
//   slot index = sequence number mod capacity (a power of two)
//   ┌────────┬────────┬────────┬─────┐   each slot: one preallocated kSlotSize byte area plus the
//   │ 512    │ 1      │ 2      │ ... │   sequence number, size and arrival time of what it holds
//   └────────┴────────┴────────┴─────┘
//
// A slot answers only for the exact sequence number it holds, so wrap-around and overwritten
// slots read as missing. Bounded by count (capacity) and by time (maxAgeUs): a packet past its age
// cannot help a receiver's jitter buffer any more. All storage is allocated by the constructor;
// store() and find() copy or hand out views, allocate nothing and never throw. Worker thread only.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "media/rtp/RtpPacket.hpp"

namespace diemcau::bridge {

class RtpPacketHistory {
 public:
  /// The largest packet kept (the transports' datagram limit).
  static constexpr size_t kSlotSize = 1500;

  enum class Lookup { Found, Missing, TooOld };

  /// `capacity` is rounded up to a power of two (at least 16).
  RtpPacketHistory(size_t capacity, int64_t maxAgeUs);

  /// Keeps a copy of `packet`. A packet of another SSRC than the stored ones starts the history
  /// afresh (the publisher restarted its encoder). Returns false, storing nothing, for a packet
  /// without payload, one larger than a slot, or one so much older than the newest that its slot
  /// already belongs to a newer packet.
  bool store(const media::rtp::RtpPacket& packet, int64_t nowUs);

  bool contains(uint16_t sequence) const;

  /// Looks up `sequence` for a retransmission that takes `oneWayUs` to reach the receiver: it is
  /// too old if it would arrive later than maxAgeUs after the bridge received the original.
  /// On Found, `out` views the stored packet until the next store().
  Lookup find(uint16_t sequence, int64_t nowUs, int64_t oneWayUs, std::optional<media::rtp::RtpPacket>& out);

  void clear();
  size_t capacity() const { return slots_.size(); }
  int64_t maxAgeUs() const { return maxAgeUs_; }
  uint32_t ssrc() const { return ssrc_; }
  /// Packets currently held (for tests and statistics).
  size_t size() const { return stored_; }

 private:
  struct Slot {
    int64_t receivedUs = 0;
    uint16_t sequence = 0;
    uint16_t size = 0;  // 0: empty
  };

  uint8_t* slotData(size_t index) { return bytes_.data() + index * kSlotSize; }

  std::vector<Slot> slots_;
  std::vector<uint8_t> bytes_;
  size_t mask_;
  int64_t maxAgeUs_;
  uint32_t ssrc_ = 0;
  bool started_ = false;
  uint16_t newest_ = 0;
  size_t stored_ = 0;
};

}  // namespace diemcau::bridge
