#pragma once
// A whole archive folder to one composite video, leaving out the recordings that do not decode.
//
// A recording can be damaged (a disk filled up mid-meeting, a file cut short by a crash, bytes
// changed since): one such file must not cost the meeting its video. The render runs; when it fails
// inside one recording's branch, that recording is left out, the plan is made again without it (the
// layout then never shows its tile) and the render starts over. Each file is left out at most once, so
// there are at most (recordings + 1) attempts; damage near a file's start (the usual case: an unreadable
// header) fails within the first frames, so a retry costs little.
#include <filesystem>
#include <string>
#include <vector>

#include "signaling/archive/render/CompositeRender.hpp"
#include "signaling/archive/render/RenderPlan.hpp"

namespace diemcau::signaling::archive::render {

struct SkippedRecording {
  std::string file;    // name inside the folder
  std::string reason;  // what GStreamer said about it
};

struct ArchiveRenderResult {
  RenderPlan plan;  // as rendered, without the skipped recordings
  RenderResult result;
  std::vector<SkippedRecording> skipped;
};

/// Plans and renders `folder` to options.output. Throws RenderError when nothing could be rendered
/// (every recording skipped: the message names each and why) or the failure is not one recording's;
/// std::runtime_error from planRender when the folder has no log or no recording at all.
ArchiveRenderResult renderArchive(const std::filesystem::path& folder, const RenderOptions& options);

}  // namespace diemcau::signaling::archive::render
