#include "bridge/room/RtpPacketHistory.hpp"

#include <algorithm>
#include <bit>

#include "media/rtp/SeqNumbers.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

RtpPacketHistory::RtpPacketHistory(size_t capacity, int64_t maxAgeUs)
    : slots_(std::bit_ceil(std::max<size_t>(capacity, 16))),
      bytes_(slots_.size() * kSlotSize),
      mask_(slots_.size() - 1),
      maxAgeUs_(maxAgeUs) {}

bool RtpPacketHistory::store(const rtp::RtpPacket& packet, int64_t nowUs) {
  if (packet.payload().empty() || packet.size() > kSlotSize) return false;
  const uint16_t sequence = packet.sequence();
  if (started_ && packet.ssrc() != ssrc_) clear();
  if (!started_) {
    started_ = true;
    ssrc_ = packet.ssrc();
    newest_ = sequence;
  } else if (rtp::isSeqNewer(sequence, newest_)) {
    newest_ = sequence;
  } else if (static_cast<uint16_t>(newest_ - sequence) >= slots_.size()) {
    return false;  // its slot was reused by a newer packet; the newer one stays
  }
  Slot& slot = slots_[sequence & mask_];
  if (slot.size == 0) ++stored_;
  std::copy_n(packet.data(), packet.size(), slotData(sequence & mask_));
  slot.receivedUs = nowUs;
  slot.sequence = sequence;
  slot.size = static_cast<uint16_t>(packet.size());
  return true;
}

bool RtpPacketHistory::contains(uint16_t sequence) const {
  const Slot& slot = slots_[sequence & mask_];
  return slot.size != 0 && slot.sequence == sequence;
}

RtpPacketHistory::Lookup RtpPacketHistory::find(uint16_t sequence, int64_t nowUs, int64_t oneWayUs,
                                                std::optional<rtp::RtpPacket>& out) {
  const size_t index = sequence & mask_;
  const Slot& slot = slots_[index];
  if (slot.size == 0 || slot.sequence != sequence) return Lookup::Missing;
  if (nowUs - slot.receivedUs + std::max<int64_t>(0, oneWayUs) > maxAgeUs_) return Lookup::TooOld;
  out = rtp::RtpPacket::parse(slotData(index), slot.size);
  return out ? Lookup::Found : Lookup::Missing;  // only parsed packets are stored: always Found
}

void RtpPacketHistory::clear() {
  std::fill(slots_.begin(), slots_.end(), Slot{});
  started_ = false;
  stored_ = 0;
}

}  // namespace diemcau::bridge
