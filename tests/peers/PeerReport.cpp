#include "tests/peers/PeerReport.hpp"

#include <nlohmann/json.hpp>

namespace diemcau::peers {

double PeerReport::audioMs() const {
  if (audioSampleRate <= 0) {
    return 0.0;
  }
  return static_cast<double>(audioSamplesDecoded) * 1000.0 / audioSampleRate;
}

std::string PeerReport::toJson() const {
  nlohmann::json j;
  j["video_frames_decoded"] = videoFramesDecoded;
  j["audio_samples_decoded"] = audioSamplesDecoded;
  j["audio_sample_rate"] = audioSampleRate;
  j["audio_ms_decoded"] = static_cast<std::int64_t>(audioMs());
  j["first_video_ms"] = firstVideoMs ? nlohmann::json(*firstVideoMs) : nlohmann::json(nullptr);
  j["ice_state"] = iceState;
  j["connection_state"] = connectionState;
  j["errors"] = errors;
  if (details.is_object()) {
    j.update(details);
  }
  return j.dump();
}

bool PeerReport::passed(std::uint64_t minVideoFrames, double minAudioMs) const {
  return videoFramesDecoded >= minVideoFrames && audioMs() >= minAudioMs;
}

}  // namespace diemcau::peers
