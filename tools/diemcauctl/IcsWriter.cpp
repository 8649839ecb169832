#include "tools/diemcauctl/IcsWriter.hpp"

#include <cstdio>
#include <functional>

namespace diemcau::tools::ctl {

namespace {

/// RFC 5545 section 3.3.5: form #2 (UTC, trailing Z) or the digits of a local time for forms #1 and #3.
std::string icsTime(std::chrono::sys_seconds t, bool utc = true) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02d%s", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                int(hms.seconds().count()), utc ? "Z" : "");
  return buf;
}

/// RFC 5545 section 3.3.14: "+0700", with seconds only when there are any.
std::string icsOffset(std::chrono::seconds offset) {
  // Real offsets are within +-26 h; the modulo keeps the fields two digits whatever arrives.
  auto total = offset.count() < 0 ? -offset.count() : offset.count();
  int h = static_cast<int>(total / 3600 % 100);
  int m = static_cast<int>(total / 60 % 60);
  int s = static_cast<int>(total % 60);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d%02d", offset.count() < 0 ? '-' : '+', h, m);
  std::string out = buf;
  if (s != 0) {
    std::snprintf(buf, sizeof buf, "%02d", s);
    out += buf;
  }
  return out;
}

std::chrono::seconds offsetAt(const IcsZone& zone, std::chrono::sys_seconds t) {
  auto offset = zone.offset;
  for (const auto& c : zone.changes) {
    if (c.at <= t) offset = c.to;
  }
  return offset;
}

/// "DTSTART;TZID=Asia/Ho_Chi_Minh:20261201T080000" or "DTSTART:20261201T010000Z".
std::string icsDateTime(std::string_view property, std::chrono::sys_seconds t, const IcsEvent& e) {
  if (!e.zone) return std::string(property) + ":" + icsTime(t);
  return std::string(property) + ";TZID=" + e.zone->tzid + ":" + icsTime(t + offsetAt(*e.zone, t), false);
}

/// Every observance has its own DTSTART and no RRULE: the changes are listed one by one, as the TZif table
/// has them, instead of guessing the rule that produced them. An observance that raises the offset is called
/// DAYLIGHT; clients use only the offsets.
void writeZone(const IcsZone& zone, const std::function<void(std::string_view)>& line) {
  line("BEGIN:VTIMEZONE");
  line("TZID:" + zone.tzid);
  line("BEGIN:STANDARD");
  line("DTSTART:19700101T000000");
  line("TZOFFSETFROM:" + icsOffset(zone.offset));
  line("TZOFFSETTO:" + icsOffset(zone.offset));
  line("END:STANDARD");
  for (const auto& c : zone.changes) {
    const char* kind = c.to > c.from ? "DAYLIGHT" : "STANDARD";
    line(std::string("BEGIN:") + kind);
    // The onset is the local time before the change (section 3.6.5).
    line("DTSTART:" + icsTime(c.at + c.from, false));
    line("TZOFFSETFROM:" + icsOffset(c.from));
    line("TZOFFSETTO:" + icsOffset(c.to));
    line(std::string("END:") + kind);
  }
  line("END:VTIMEZONE");
}

}  // namespace

std::string escapeIcsText(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string foldIcsLine(std::string_view line) {
  std::string out;
  std::size_t limit = 75;  // the first line has 75 octets, later ones 74 after the leading space
  std::size_t used = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t len = 1;
    auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0xf0)
      len = 4;
    else if (c >= 0xe0)
      len = 3;
    else if (c >= 0xc0)
      len = 2;
    len = std::min(len, line.size() - i);
    if (used + len > limit) {
      out += "\r\n ";
      used = 1;
    }
    out.append(line.substr(i, len));
    used += len;
    i += len;
  }
  return out + "\r\n";
}

std::string writeIcs(const IcsEvent& e) {
  std::string out;
  auto line = [&](std::string_view text) { out += foldIcsLine(text); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Diemcau//diemcauctl//VI");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  if (e.zone) writeZone(*e.zone, line);
  line("BEGIN:VEVENT");
  line("UID:" + e.uid);
  line("DTSTAMP:" + icsTime(e.stamp));
  line(icsDateTime("DTSTART", e.start, e));
  line(icsDateTime("DTEND", e.end, e));
  if (!e.rrule.empty()) line("RRULE:" + e.rrule);
  line("SUMMARY:" + escapeIcsText(e.summary));
  if (!e.description.empty()) line("DESCRIPTION:" + escapeIcsText(e.description));
  if (!e.location.empty()) line("LOCATION:" + escapeIcsText(e.location));
  if (!e.url.empty()) line("URL:" + e.url);
  line("END:VEVENT");
  line("END:VCALENDAR");
  return out;
}

}  // namespace diemcau::tools::ctl
