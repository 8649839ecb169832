#pragma once
// RTX retransmission payload format (RFC 4588 section 4):
//
//   original:  | RTP header (media SSRC, PT, SN) | payload           | padding |
//   RTX:       | RTP header (RTX SSRC, RTX PT, own SN) | OSN | payload |
//
// The RTX packet keeps the original timestamp, marker, CSRCs and header extensions; OSN is the
// original sequence number. Padding is dropped (it carries nothing worth repairing).
// Both directions copy into a caller-owned buffer: no allocation, never throws.
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/rtp/RtpPacket.hpp"

namespace diemcau::media::rtp {

/// The header fields an RTX packet gets.
struct RtxHeader {
  uint32_t ssrc = 0;
  uint8_t payloadType = 0;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint16_t originalSequence = 0;  // OSN, in the receiver's numbering
};

/// Writes the RTX packet repairing `original` into `out`. Returns its size, or 0 if `original` has
/// no payload (nothing to repair) or the result does not fit.
size_t writeRtx(std::span<uint8_t> out, const RtpPacket& original, const RtxHeader& header);

/// Restores the original packet an RTX packet carries into `out` (RFC 4588 section 4: the OSN
/// becomes the sequence number; SSRC and payload type are the media stream's). Returns its size, or
/// 0 if the RTX payload holds no media after the OSN (a padding-only probe) or does not fit.
size_t restoreFromRtx(std::span<uint8_t> out, const RtpPacket& rtx, uint32_t mediaSsrc, uint8_t mediaPayloadType);

}  // namespace diemcau::media::rtp
