#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace diemcau::signaling::meeting {

/**
 * A meeting's event log: `<data-dir>/archive/<meeting-id>/events.jsonl`, one JSON object per line,
 * {"at":"2026-12-01T01:00:00.123Z","type":...,...fields}. The source of the minutes and of the live
 * status view.
 *
 * The file is opened append-only (O_APPEND) and every line goes to the kernel in one write() with no
 * user-space buffer, so a crash of the process loses nothing already appended. A failure (disk full,
 * directory missing) is logged and counted; it never throws, so the meeting goes on without its log.
 * Signaling thread only.
 */
class EventLog {
 public:
  /// The log file of a meeting. Callers check isSafeMeetingId first: the id becomes a folder name.
  static std::filesystem::path pathFor(const std::filesystem::path& dataDir, std::string_view meetingId);
  /// True for ids usable as one path component: [A-Za-z0-9._-], not "." or "..", at most 128 bytes.
  static bool isSafeMeetingId(std::string_view meetingId);

  /// Opens (creating the folder, mode 0700, and the file, mode 0600). A failure is logged and counted.
  explicit EventLog(std::filesystem::path file);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  /// Appends one line: "at" first, then "type", then `fields` (an object; other values are ignored).
  /// Returns false when the line could not be written completely.
  bool append(std::chrono::system_clock::time_point at, std::string_view type, const nlohmann::json& fields);

  const std::filesystem::path& file() const { return file_; }
  bool isOpen() const { return fd_ >= 0; }
  uint64_t linesWritten() const { return linesWritten_; }
  uint64_t failures() const { return failures_; }

 private:
  bool open();
  void fail(std::string_view what, int error);

  std::filesystem::path file_;
  int fd_ = -1;
  uint64_t linesWritten_ = 0;
  uint64_t failures_ = 0;
};

}  // namespace diemcau::signaling::meeting
