#pragma once
// One line of a meeting's events.jsonl, read back for the minutes.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diemcau::signaling::archive {

struct ArchiveEvent {
  int64_t atMs = 0;  // UTC, milliseconds since the epoch
  std::string type;
  nlohmann::json fields;  // the whole line (an object)
};

struct EventLogContents {
  std::vector<ArchiveEvent> events;
  size_t malformedLines = 0;  // skipped: not JSON, no "at"/"type", over the line limit
  bool truncated = false;     // the file is larger than the read limit; the rest was not read
};

/// "2026-12-01T01:00:00.123Z" (milliseconds optional) to milliseconds since the epoch.
std::optional<int64_t> parseUtcMillis(std::string_view text);
/// The inverse, always with milliseconds.
std::string formatUtcMillis(int64_t atMs);

/// Parses one line; nullopt for anything that is not {"at":<utc>,"type":<string>,...}.
std::optional<ArchiveEvent> parseEventLine(std::string_view line);

/// Reads an events.jsonl. Lines over 256 KiB and files beyond `maxBytes` are not trusted: skipped and
/// counted. A missing file reads as empty.
EventLogContents readEventLog(const std::filesystem::path& file, uint64_t maxBytes = 256ull << 20);

}  // namespace diemcau::signaling::archive
