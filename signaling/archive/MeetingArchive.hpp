#pragma once
// The archive folders: <data-dir>/archive/<meeting-id>/ with recordings (*.mkv, renders *.mp4/*.webm),
// events.jsonl, minutes.json, minutes.md and SHA256SUMS.
//
// A folder with events.jsonl but no SHA256SUMS belongs to a meeting that is live, or whose server died
// mid-way: recover() closes the latter at start-up. Signaling thread only (it uses the store).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signaling/archive/ArchiveWorker.hpp"
#include "signaling/archive/Minutes.hpp"
#include "signaling/archive/MinutesText.hpp"
#include "signaling/archive/Sha256Sums.hpp"
#include "signaling/store/Store.hpp"

namespace diemcau::signaling::archive {

struct ArchiveSummary {
  std::string meetingId;
  std::string title;          // from the store, "" when the meeting is gone
  bool closed = false;        // SHA256SUMS written
  bool hasMinutes = false;
  size_t recordings = 0;
  uint64_t recordingBytes = 0;
  uint64_t totalBytes = 0;
};

class MeetingArchive {
 public:
  MeetingArchive(std::filesystem::path dataDir, store::Store& store);

  std::filesystem::path root() const { return dataDir_ / "archive"; }
  /// The meeting's folder; throws std::invalid_argument for an id that is not one safe path component.
  std::filesystem::path folderOf(const std::string& meetingId) const;
  static bool isRecordingFile(const std::filesystem::path& file);

  /// Writes minutes.json, minutes.md (in `language`) and then SHA256SUMS over everything. Idempotent:
  /// closing again recomputes all three. Throws std::runtime_error when the folder has no events.jsonl.
  /// Hashes every recording on the calling thread: for start-up recovery and tools; a live server
  /// closes through ArchiveCloser, which hashes on its worker.
  Minutes close(const std::string& meetingId, MinutesLanguage language = MinutesLanguage::Vietnamese);
  /// The first half of close(): minutes.json and minutes.md, which need the store (signaling thread)
  /// but read only the event log; SHA256SUMS is left to the caller.
  Minutes writeMinutes(const std::string& meetingId, MinutesLanguage language = MinutesLanguage::Vietnamese);

  /// The thread that reads exports ahead of their sockets (made on first use, lives as long as this
  /// archive and any export still holding it).
  std::shared_ptr<ArchiveWorker> reader();

  /// At start-up, before any meeting runs: every folder with events.jsonl and no SHA256SUMS is closed,
  /// with a "meeting.interrupted" event appended (at the last logged instant). Returns their ids.
  std::vector<std::string> recover();

  std::vector<ArchiveSummary> list() const;
  VerifyResult verify(const std::string& meetingId) const;

  /// Removes the recordings (never the minutes or the log) of closed archives whose meeting ended more
  /// than `days` days before `now`; each removal is an audit entry ("archive.retention"), and SHA256SUMS
  /// is rewritten over what stays. Returns the removed paths relative to the archive root.
  std::vector<std::string> applyRetention(int days, std::chrono::sys_seconds now);

 private:
  std::filesystem::path dataDir_;
  store::Store& store_;
  std::shared_ptr<ArchiveWorker> reader_;
};

}  // namespace diemcau::signaling::archive
