#include "tools/diemcauctl/IcsWriter.hpp"

#include <cstdio>

namespace diemcau::tools::ctl {

namespace {

std::string icsTime(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                int(hms.seconds().count()));
  return buf;
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
  line("BEGIN:VEVENT");
  line("UID:" + e.uid);
  line("DTSTAMP:" + icsTime(e.stamp));
  line("DTSTART:" + icsTime(e.start));
  line("DTEND:" + icsTime(e.end));
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
