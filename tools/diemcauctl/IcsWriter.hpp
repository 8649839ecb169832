#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diemcau::tools::ctl {

/// A VTIMEZONE (RFC 5545 section 3.6.5): the offset in force at the event, then each change after it.
struct IcsZone {
  struct Change {
    std::chrono::sys_seconds at;
    std::chrono::seconds from;
    std::chrono::seconds to;
  };
  std::string tzid;  ///< the IANA name, e.g. "Asia/Ho_Chi_Minh"
  std::chrono::seconds offset{};
  std::vector<Change> changes;
};

/// What one site's invitation says.
struct IcsEvent {
  std::string uid;
  std::string summary;
  std::string description;
  std::string location;
  std::string url;
  std::chrono::sys_seconds start{};
  std::chrono::sys_seconds end{};
  std::chrono::sys_seconds stamp{};
  std::string rrule;  ///< e.g. "FREQ=WEEKLY;BYDAY=MO,TH", empty for a single meeting
  /// Set: DTSTART/DTEND are wall times in this zone (DTSTART;TZID=...), so an RRULE repeats at the same local
  /// time across offset changes (RFC 5545 section 3.3.10); unset: UTC.
  std::optional<IcsZone> zone;
};

/// RFC 5545 section 3.3.11: backslash, semicolon, comma and newline escaped in TEXT values.
std::string escapeIcsText(std::string_view text);
/// RFC 5545 section 3.1: lines of at most 75 octets, CRLF, continuation lines start with one space; a UTF-8
/// sequence is never split.
std::string foldIcsLine(std::string_view line);
/// A whole VCALENDAR with one VEVENT, every line CRLF-terminated.
std::string writeIcs(const IcsEvent& event);

}  // namespace diemcau::tools::ctl
