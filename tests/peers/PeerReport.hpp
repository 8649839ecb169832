#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::peers {

/// What a peer run achieved; printed as the program's single stdout line.
struct PeerReport {
  std::uint64_t videoFramesDecoded = 0;
  std::uint64_t audioSamplesDecoded = 0;
  int audioSampleRate = 0;  // 0 until the first decoded audio buffer
  std::optional<std::int64_t> firstVideoMs;
  std::string iceState = "new";
  std::string connectionState = "new";
  std::vector<std::string> errors;
  /// Mode-specific fields added to the top level of the JSON line (an object, or null).
  nlohmann::json details;

  double audioMs() const;
  std::string toJson() const;
  /// True when both minimums are met; errors are reported but do not fail a run that decoded enough.
  bool passed(std::uint64_t minVideoFrames, double minAudioMs) const;
};

}  // namespace diemcau::peers
