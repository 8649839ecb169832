#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace diemcau::tools::ctl {

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
};

/// RFC 5545 section 3.3.11: backslash, semicolon, comma and newline escaped in TEXT values.
std::string escapeIcsText(std::string_view text);
/// RFC 5545 section 3.1: lines of at most 75 octets, CRLF, continuation lines start with one space; a UTF-8
/// sequence is never split.
std::string foldIcsLine(std::string_view line);
/// A whole VCALENDAR with one VEVENT, every line CRLF-terminated.
std::string writeIcs(const IcsEvent& event);

}  // namespace diemcau::tools::ctl
