#include "signaling/archive/render/ArchiveRender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace diemcau::signaling::archive::render {

namespace {

std::string describe(const std::vector<SkippedRecording>& skipped) {
  std::string text;
  for (const SkippedRecording& s : skipped) text += (text.empty() ? "" : "; ") + s.file + " (" + s.reason + ")";
  return text;
}

}  // namespace

ArchiveRenderResult renderArchive(const std::filesystem::path& folder, const RenderOptions& options) {
  ArchiveRenderResult out;
  std::vector<std::string> leaveOut;
  for (;;) {
    try {
      out.plan = planRender(folder, leaveOut);
    } catch (const std::runtime_error& e) {
      // Only the skipped files were left: the folder had recordings, none of them readable.
      if (out.skipped.empty()) throw;
      throw RenderError("no recording could be rendered: " + describe(out.skipped));
    }
    try {
      out.result = renderComposite(out.plan, options);
      return out;
    } catch (const RenderError& e) {
      const std::string& file = e.recording();
      const bool known = std::find(leaveOut.begin(), leaveOut.end(), file) != leaveOut.end();
      if (file.empty() || known) throw;
      spdlog::debug("render {}: skipping {}: {}", out.plan.meetingId, file, e.what());
      out.skipped.push_back({file, e.what()});
      leaveOut.push_back(file);
    }
  }
}

}  // namespace diemcau::signaling::archive::render
