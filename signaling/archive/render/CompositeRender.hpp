#pragma once
// One video of a whole meeting from its per-participant recordings: GStreamer compositor + audiomixer,
// a grid with the large tile following the plan, site names drawn on the tiles, every recording at its
// offset in meeting time over a black, silent background as long as the meeting.
//
//   filesrc ! decodebin ─┬─ video: queue ! videoconvert ! textoverlay ──────────────────────► compositor pad
//   (one per recording)  └─ audio: queue ! audioconvert ! audioresample ! caps ─────────────► audiomixer pad
//   videotestsrc (black) ─────────────────────────────────────────────────────────────────► compositor
//   audiotestsrc (silence) ───────────────────────────────────────────────────────────────► audiomixer
//   compositor ! caps ! videoconvert ! x264enc | vp8enc ─┐
//   audiomixer ! audioconvert ! avenc_aac | opusenc ─────┴─► mp4mux | webmmux ! filesink
//
// Each tile's position and size are controlled properties of its compositor pad (a stepped control
// source keyed on meeting time), so the layout changes on the exact output frame of the speaker change.
#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include "signaling/archive/render/RenderPlan.hpp"

namespace diemcau::signaling::archive::render {

class RenderError : public std::runtime_error {
 public:
  explicit RenderError(const std::string& message, std::string recording = {})
      : std::runtime_error(message), recording_(std::move(recording)) {}
  /// The file name of the recording the failure came from (it does not decode); "" when the failure
  /// is not one recording's (a missing element, an unwritable output).
  const std::string& recording() const { return recording_; }

 private:
  std::string recording_;
};

struct RenderProgress {
  int64_t positionMs = 0;
  int64_t durationMs = 0;
  double elapsedSeconds = 0;
  double speed = 0;             // meeting seconds rendered per wall-clock second
  double remainingSeconds = 0;  // estimate at the speed so far
};

struct RenderOptions {
  /// ".mp4" gives H.264 + AAC, ".webm" VP8 + Opus.
  std::filesystem::path output;
  int width = 1280;
  int height = 720;
  int fps = 25;
  /// H.264 or VP8 target, kbit/s.
  int videoKbps = 2000;
  /// Called about twice a second from the rendering thread.
  std::function<void(const RenderProgress&)> onProgress;
};

struct RenderResult {
  double elapsedSeconds = 0;
  double speed = 0;
};

/// Builds and runs the pipeline to the end. Throws RenderError (a missing element, a file that does not
/// decode, an unwritable output), naming the recording when the failure is one recording's; a partial
/// output file is removed.
RenderResult renderComposite(const RenderPlan& plan, const RenderOptions& options);

}  // namespace diemcau::signaling::archive::render
