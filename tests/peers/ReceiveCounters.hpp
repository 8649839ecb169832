#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::peers {

/// What a subscriber decoded, per remote participant, as the report states it.
///
/// Streaming threads count (one decoded video frame, N decoded audio samples) against a
/// participant id; the main thread reads a snapshot. A mutex is enough: a test peer counts a few
/// hundred buffers a second.
class ReceiveCounters {
 public:
  using Clock = std::chrono::steady_clock;

  /// `origin` is the instant times are measured from (the WebSocket open); until it is set,
  /// nothing is bucketed and first-frame times are kept as absolute instants.
  void setOrigin(Clock::time_point origin);

  /// True for the participant's first frame.
  bool countVideoFrame(const std::string& participant, Clock::time_point at);
  void countAudio(const std::string& participant, std::uint64_t samples, int rate, Clock::time_point at);

  /// {participant: {video_frames, audio_samples, audio_rate, first_video_ms, first_audio_ms,
  ///   video_freezes, video_frozen_ms, audio_samples_per_s: [...], video_frames_per_s: [...]}};
  /// second i covers [i, i+1) s after the origin. A freeze is a gap between decoded frames of at
  /// least max(3 x the mean frame interval, mean + 150 ms), the W3C webrtc-stats freezeCount rule.
  nlohmann::json toJson() const;
  std::uint64_t totalVideoFrames() const;
  std::uint64_t totalAudioSamples() const;
  /// The sample rate of the first participant heard (0 when none), for the echo-style totals.
  int anyAudioRate() const;
  /// First video frame from anyone, if any.
  std::optional<Clock::time_point> firstVideoAt() const;

 private:
  struct Remote {
    std::uint64_t videoFrames = 0;
    std::uint64_t audioSamples = 0;
    int audioRate = 0;
    std::optional<Clock::time_point> firstVideoAt;
    std::optional<Clock::time_point> firstAudioAt;
    std::optional<Clock::time_point> lastVideoAt;
    double meanFrameIntervalMs = 0;  // over the recent frames, freezes left out
    std::uint64_t freezes = 0;
    double frozenMs = 0;
    std::vector<std::uint64_t> audioPerSecond;
    std::vector<std::uint64_t> videoPerSecond;
  };

  static void addToBucket(std::vector<std::uint64_t>& buckets, std::size_t index, std::uint64_t n);
  std::optional<std::size_t> bucketOf(Clock::time_point at) const;
  std::optional<std::int64_t> msSinceOrigin(std::optional<Clock::time_point> at) const;

  static constexpr std::size_t kMaxBuckets = 3600;  // --duration is at most an hour

  mutable std::mutex mutex_;
  std::optional<Clock::time_point> origin_;
  std::map<std::string, Remote> remotes_;
};

}  // namespace diemcau::peers
