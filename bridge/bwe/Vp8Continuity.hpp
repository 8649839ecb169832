#pragma once
// VP8 picture ids and TL0PICIDX as one receiver sees them (RFC 7741 section 4.2). Each simulcast
// layer numbers its pictures on its own, so a switch of layer would make the picture id jump;
// receivers use it to detect lost frames (a jump looks like many lost pictures, and some
// depacketizers then drop frames until the next keyframe). After a switch the numbering continues
// at last + 1. Picture ids are taken as 15-bit (the M bit set, as browsers and libvpx-based
// encoders send them); a 7-bit field keeps its low seven bits, continuous within the 7-bit space
// only when every layer uses 7 bits.
//
// Rewrites the descriptor of an outgoing copy in place; no allocation, never throws.
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp/Vp8PayloadDescriptor.hpp"

namespace diemcau::bridge {

class Vp8Continuity {
 public:
  /// The next packet starts a new source segment (a layer switch, a resume).
  void onSwitch() { resync_ = true; }
  /// Rewrites the picture id and TL0PICIDX of `payload` (a VP8 payload) in place.
  void rewrite(std::span<uint8_t> payload);
  /// The same with `descriptor` parsed already, from `payload` or from a packet `payload` is a
  /// byte-for-byte copy of (a fan-out parses once for all receivers).
  void rewrite(std::span<uint8_t> payload, const std::optional<media::rtp::Vp8PayloadDescriptor>& descriptor);
  /// The same numbering for a copy of a packet already forwarded in the current segment (a
  /// retransmission): the segment's offsets, without moving the last picture id. Nothing before
  /// the segment's first packet.
  void translate(std::span<uint8_t> payload) const;

  uint16_t lastPictureId() const { return lastPictureId_; }

 private:
  bool resync_ = true;
  bool started_ = false;
  uint16_t pictureOffset_ = 0;  // modulo 2^15
  uint8_t tl0Offset_ = 0;
  uint16_t lastPictureId_ = 0;
  uint8_t lastTl0_ = 0;
};

}  // namespace diemcau::bridge
