#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace diemcau::media::rtp {

/**
 * The VP8 payload descriptor at the start of each VP8 RTP payload (RFC 7741 §4.2):
 *
 *   |X|R|N|S|R| PID |            always
 *   |I|L|T|K| RSV   |            if X
 *   |M| PictureID   | (PictureID)  if I; 15 bits when M
 *   |   TL0PICIDX   |            if L
 *   |TID|Y| KEYIDX  |            if T or K
 */
struct Vp8PayloadDescriptor {
  bool nonReference = false;  ///< N
  bool startOfPartition = false;  ///< S
  uint8_t partitionId = 0;
  std::optional<uint16_t> pictureId;
  bool pictureId15Bit = false;  ///< M: the field on the wire is 15 bits wide
  std::optional<uint8_t> tl0PicIdx;
  std::optional<uint8_t> temporalId;  ///< TID, when T is set
  bool layerSync = false;  ///< Y
  std::optional<uint8_t> keyIdx;
  size_t size = 0;  ///< descriptor length: the VP8 payload header starts here
  size_t pictureIdOffset = 0;  ///< valid when pictureId is set
  size_t tl0PicIdxOffset = 0;  ///< valid when tl0PicIdx is set

  /// Parses the descriptor; nullopt if the payload ends inside it or carries no VP8 data after it.
  static std::optional<Vp8PayloadDescriptor> parse(std::span<const uint8_t> payload);
};

/// True if the payload starts a VP8 key frame: S=1, PID=0 and the frame header's P bit is 0 (RFC 7741 §4.3).
bool isVp8Keyframe(std::span<const uint8_t> payload);
std::optional<uint16_t> vp8PictureId(std::span<const uint8_t> payload);
std::optional<uint8_t> vp8Tl0PicIdx(std::span<const uint8_t> payload);

/// Rewrites the picture id in place, keeping its 7- or 15-bit width (the value is truncated to it).
/// False if the payload carries no picture id.
bool setVp8PictureId(std::span<uint8_t> payload, uint16_t pictureId);
/// Rewrites TL0PICIDX in place; false if absent.
bool setVp8Tl0PicIdx(std::span<uint8_t> payload, uint8_t tl0PicIdx);
/// The same two, with `descriptor` parsed already from `payload` or from a byte-for-byte copy of
/// it (no second parse); false if the field is absent or lies outside `payload`.
bool setVp8PictureId(std::span<uint8_t> payload, const Vp8PayloadDescriptor& descriptor, uint16_t pictureId);
bool setVp8Tl0PicIdx(std::span<uint8_t> payload, const Vp8PayloadDescriptor& descriptor, uint8_t tl0PicIdx);

}  // namespace diemcau::media::rtp
