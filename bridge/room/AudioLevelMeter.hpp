#pragma once
// Accumulates the RFC 6464 audio levels of one published audio stream between two reads by the
// room's speaker detection. Per packet it only adds a few integers: no allocation, no lock (the
// track and the room share the worker thread).
#include <cstdint>

#include "media/rtp/RtpPacket.hpp"

namespace diemcau::bridge {

/// What one stream said during one detection interval.
struct LevelWindow {
  uint32_t packets = 0;        // packets that carried a level
  uint32_t speechPackets = 0;  // of which counted as speech (see AudioLevelMeter)
  uint32_t loudnessSum = 0;    // sum of (127 - level) over the speech packets: dB above -127 dBov
};

class AudioLevelMeter {
 public:
  /// Levels at or below this many -dBov count as speech (quieter is room noise or comfort noise).
  static constexpr uint8_t kSpeechLevel = 60;

  /// Hot path. RFC 6464 section 3: the V flag is only meaningful if the sender runs a voice
  /// activity detector; a sender that never sets it does not, so its level alone decides.
  void onLevel(media::rtp::AudioLevel level) {
    if (level.voice) vadSeen_ = true;
    ++window_.packets;
    const bool loud = level.level <= kSpeechLevel;
    if (loud && (level.voice || !vadSeen_)) {
      ++window_.speechPackets;
      window_.loudnessSum += 127u - level.level;
    }
  }

  /// The levels since the previous call; starts a new interval.
  LevelWindow take() {
    const LevelWindow window = window_;
    window_ = {};
    return window;
  }

  bool vadSeen() const { return vadSeen_; }

 private:
  LevelWindow window_;
  bool vadSeen_ = false;
};

}  // namespace diemcau::bridge
