#pragma once
// What a composite render of one archive folder shows, worked out from its events.jsonl (and
// minutes.json for the hall): the meeting's length, every participant recording placed at its offset
// in meeting time, and who is shown large when.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace diemcau::signaling::archive::render {

struct RenderTrack {
  std::string participant;
  std::string displayName;
  std::filesystem::path file;
  int64_t offsetMs = 0;    // where the recording starts, from the meeting's start
  int64_t durationMs = 0;  // from its start and stop events; 0 when it was never stopped cleanly
};

/// From atMs (meeting time) on, track `big` is the large tile.
struct LayoutChange {
  int64_t atMs = 0;
  size_t big = 0;
};

struct RenderPlan {
  std::string meetingId;
  std::string title;
  int64_t durationMs = 0;
  std::vector<RenderTrack> tracks;  // hall first, then by the order the minutes list the sites
  std::vector<LayoutChange> layout;  // sorted, first at 0, no two in a row with the same big
  /// "speaker" when the log has speaker.changed events, else "hall": the hall stays large.
  std::string largeSource;
};

/// Reads `folder`. Throws std::runtime_error when it has no event log or no recording to show.
/// Recordings the log never started are left out (no offset to place them at), and so are the files
/// named in `leaveOut` (recordings found unreadable): the layout is worked out without them.
RenderPlan planRender(const std::filesystem::path& folder, const std::vector<std::string>& leaveOut = {});

}  // namespace diemcau::signaling::archive::render
