#pragma once
// The minutes of one meeting occurrence, computed from its event log and the store. Plain values;
// rendered as minutes.json and minutes.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::signaling::archive {

struct Interval {
  int64_t fromMs = 0;
  int64_t toMs = 0;
  std::string leaveReason;  // "left", "removed", "connection lost", "replaced", "meeting ended"
};

struct SiteAttendance {
  std::string id;
  std::string displayName;
  std::string role;  // "host", "site", "viewer"; "" for an invited site that never joined
  bool invited = false;
  std::vector<Interval> present;  // merged where a replacement connection took over at once
  int64_t presentMs = 0;
  int64_t speakingMs = 0;
  int handRaises = 0;
  int floorGrants = 0;
  int connectionLosses = 0;
  // From "link.quality" events when the log has them.
  int linkSamples = 0;
  double meanFractionLost = 0;
  double meanRttMs = 0;

  bool absent() const { return present.empty(); }
  /// Times the site was away between its first join and its last leave.
  size_t gaps() const { return present.empty() ? 0 : present.size() - 1; }
};

struct ChairAction {
  int64_t atMs = 0;
  std::string by;
  std::string action;  // "floor.give", "floor.take", "mute", "unmute", "spotlight", "remove", "lock", "unlock", "end", "recording.start", "recording.stop"
  std::string target;
};

struct FloorEntry {
  int64_t atMs = 0;
  std::string kind;  // "request" (hand raised), "withdrawn" (hand lowered by the site), "grant", "release"
  std::string participant;
};

struct ChatLine {
  int64_t atMs = 0;
  std::string from;
  std::string text;
};

struct RecordingEntry {
  std::string participant;
  std::string file;  // name inside the archive folder
  int64_t startedMs = 0;
  int64_t stoppedMs = 0;  // 0: never stopped cleanly (a crash)
  uint64_t sizeBytes = 0;
  uint64_t droppedPackets = 0;
  std::string failure;
};

struct Minutes {
  std::string meetingId;
  std::string title;
  std::string agenda;
  std::string timeZone;
  std::string hostSiteId;
  std::string hostName;
  std::vector<std::string> chairs;  // display names of the participants who joined as host
  int64_t startedMs = 0;            // first event
  int64_t endedMs = 0;              // "meeting.ended", else "room.closed", else the last event
  std::string endReason;
  bool interrupted = false;  // the server stopped mid-meeting; closed by recovery
  /// "audio-level" when the log has speaker events, otherwise "floor": time holding the floor.
  std::string speakingSource;
  std::vector<SiteAttendance> sites;
  std::vector<ChairAction> chairActions;
  std::vector<FloorEntry> floor;
  std::vector<ChatLine> chat;
  std::vector<RecordingEntry> recordings;
  size_t malformedLines = 0;
};

}  // namespace diemcau::signaling::archive
