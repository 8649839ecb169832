#include "tests/peers/ReceiveCounters.hpp"

#include <algorithm>

namespace diemcau::peers {

using nlohmann::json;

void ReceiveCounters::setOrigin(Clock::time_point origin) {
  std::lock_guard lock(mutex_);
  origin_ = origin;
}

bool ReceiveCounters::countVideoFrame(const std::string& participant, Clock::time_point at) {
  std::lock_guard lock(mutex_);
  Remote& r = remotes_[participant];
  ++r.videoFrames;
  const bool first = !r.firstVideoAt;
  if (first) {
    r.firstVideoAt = at;
  }
  if (r.lastVideoAt) {
    const double gapMs = std::chrono::duration<double, std::milli>(at - *r.lastVideoAt).count();
    const double mean = r.meanFrameIntervalMs;
    if (mean > 0 && gapMs >= std::max(3 * mean, mean + 150)) {
      ++r.freezes;
      r.frozenMs += gapMs;
    } else {
      // About the last 30 frames; the first gap seeds it.
      r.meanFrameIntervalMs = mean > 0 ? mean + (gapMs - mean) / 30 : gapMs;
    }
  }
  r.lastVideoAt = at;
  if (auto bucket = bucketOf(at)) {
    addToBucket(r.videoPerSecond, *bucket, 1);
  }
  return first;
}

void ReceiveCounters::countAudio(const std::string& participant, std::uint64_t samples, int rate,
                                 Clock::time_point at) {
  std::lock_guard lock(mutex_);
  Remote& r = remotes_[participant];
  r.audioSamples += samples;
  r.audioRate = rate;
  if (!r.firstAudioAt) {
    r.firstAudioAt = at;
  }
  if (auto bucket = bucketOf(at)) {
    addToBucket(r.audioPerSecond, *bucket, samples);
  }
}

void ReceiveCounters::addToBucket(std::vector<std::uint64_t>& buckets, std::size_t index, std::uint64_t n) {
  if (index >= kMaxBuckets) {
    return;
  }
  if (buckets.size() <= index) {
    buckets.resize(index + 1, 0);
  }
  buckets[index] += n;
}

std::optional<std::size_t> ReceiveCounters::bucketOf(Clock::time_point at) const {
  if (!origin_ || at < *origin_) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(std::chrono::duration_cast<std::chrono::seconds>(at - *origin_).count());
}

std::optional<std::int64_t> ReceiveCounters::msSinceOrigin(std::optional<Clock::time_point> at) const {
  if (!at || !origin_) {
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*at - *origin_).count();
}

json ReceiveCounters::toJson() const {
  std::lock_guard lock(mutex_);
  json out = json::object();
  for (const auto& [id, r] : remotes_) {
    const auto firstVideo = msSinceOrigin(r.firstVideoAt);
    const auto firstAudio = msSinceOrigin(r.firstAudioAt);
    out[id] = {{"video_frames", r.videoFrames},
               {"audio_samples", r.audioSamples},
               {"audio_rate", r.audioRate},
               {"first_video_ms", firstVideo ? json(*firstVideo) : json(nullptr)},
               {"first_audio_ms", firstAudio ? json(*firstAudio) : json(nullptr)},
               {"video_freezes", r.freezes},
               {"video_frozen_ms", static_cast<std::int64_t>(r.frozenMs)},
               {"audio_samples_per_s", r.audioPerSecond},
               {"video_frames_per_s", r.videoPerSecond}};
  }
  return out;
}

std::uint64_t ReceiveCounters::totalVideoFrames() const {
  std::lock_guard lock(mutex_);
  std::uint64_t n = 0;
  for (const auto& [id, r] : remotes_) {
    n += r.videoFrames;
  }
  return n;
}

std::uint64_t ReceiveCounters::totalAudioSamples() const {
  std::lock_guard lock(mutex_);
  std::uint64_t n = 0;
  for (const auto& [id, r] : remotes_) {
    n += r.audioSamples;
  }
  return n;
}

int ReceiveCounters::anyAudioRate() const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, r] : remotes_) {
    if (r.audioRate > 0) {
      return r.audioRate;
    }
  }
  return 0;
}

std::optional<ReceiveCounters::Clock::time_point> ReceiveCounters::firstVideoAt() const {
  std::lock_guard lock(mutex_);
  std::optional<Clock::time_point> first;
  for (const auto& [id, r] : remotes_) {
    if (r.firstVideoAt && (!first || *r.firstVideoAt < *first)) {
      first = r.firstVideoAt;
    }
  }
  return first;
}

}  // namespace diemcau::peers
