#pragma once
// Builds the RTP packets of one synthetic stream: Opus-sized audio frames or VP8-like video whose
// payload starts with a valid VP8 payload descriptor (RFC 7741 section 4.2) and, on the first
// packet of a frame, a VP8 payload header whose P bit marks key frames (section 4.3), so the
// bridge's key frame gating and picture id rewriting see what a browser would send.
#include <cstddef>
#include <cstdint>
#include <span>

#include "tools/load/PayloadStamp.hpp"

namespace diemcau::load {

class SyntheticStream {
 public:
  struct Params {
    StreamKind kind = StreamKind::Audio;
    uint8_t payloadType = 111;
    uint32_t ssrc = 0;
    uint32_t clockRate = 48000;
    uint16_t sourceSlot = 0;
    uint8_t generation = 0;
    size_t payloadSize = 100;  // bytes after the RTP header, stamp included
  };

  explicit SyntheticStream(const Params& params);

  /// Writes the next audio packet (one 20 ms frame) into `out`; returns its size, 0 if too small.
  size_t nextAudio(std::span<uint8_t> out, int64_t nowNs);
  /// Writes packet `index` of `count` of the current video frame; the first packet starts the
  /// frame (and a key frame when `keyframe`), the last carries the RTP marker bit.
  size_t nextVideo(std::span<uint8_t> out, size_t index, size_t count, bool keyframe, int64_t nowNs);
  /// Audio: from now on every packet carries an RFC 6464 audio level (one-byte header extension,
  /// RFC 8285 section 4.2) under `extensionId` (1-14; 0 turns it off): `level` in -dBov, `voice`
  /// the V flag.
  void setAudioLevel(uint8_t extensionId, uint8_t level, bool voice);
  /// Advances the RTP timestamp by one frame of `frameMs` (call after a frame's last packet).
  void endFrame(uint32_t frameMs);

  uint32_t ssrc() const { return params_.ssrc; }
  StreamKind kind() const { return params_.kind; }
  /// Stream sequence of the last packet written; 0 before the first (the first is 1).
  uint32_t lastSequence() const { return sequence_; }

 private:
  size_t writeHeader(std::span<uint8_t> out, bool marker);
  bool stamp(std::span<uint8_t> payload, int64_t nowNs);

  static constexpr size_t kRtpHeader = 12;
  // 0xBEDE, length 1, then one element (ID, L=0), its byte and two bytes of padding.
  static constexpr size_t kLevelExtension = 8;

  Params params_;
  uint16_t rtpSequence_;
  uint32_t rtpTimestamp_;
  uint16_t pictureId_ = 0;
  uint32_t sequence_ = 0;
  uint8_t levelId_ = 0;
  uint8_t levelByte_ = 0;
};

}  // namespace diemcau::load
