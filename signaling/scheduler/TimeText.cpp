#include "signaling/scheduler/TimeText.hpp"

#include <cstdio>

namespace diemcau::signaling::scheduler {

namespace {

using namespace std::chrono;

std::string formatCivil(local_seconds t, bool iso) {
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[40];
  if (iso) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                  int(hms.seconds().count()));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()));
  }
  return buf;
}

// Reads exactly n digits at pos.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::string formatUtc(sys_seconds t) {
  return formatCivil(local_seconds{t.time_since_epoch()}, true);
}

std::string formatLocal(sys_seconds t, const TimeZone& zone) {
  return formatCivil(zone.toLocal(t), false);
}

std::optional<sys_seconds> parseInstant(std::string_view s, const TimeZone& zone, sys_seconds now) {
  if (s == "now") return now;
  // YYYY-MM-DD[T ]HH:MM[:SS][Z|+HH:MM|-HH:MM]
  auto y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2),
       mi = digits(s, 14, 2);
  if (!y || !mo || !d || !h || !mi || s.size() < 16 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' ') || s[13] != ':') {
    return std::nullopt;
  }
  std::size_t pos = 16;
  int sec = 0;
  if (pos < s.size() && s[pos] == ':') {
    auto ss = digits(s, pos + 1, 2);
    if (!ss) return std::nullopt;
    sec = *ss;
    pos += 3;
  }
  year_month_day ymd{year{*y}, month{unsigned(*mo)}, day{unsigned(*d)}};
  if (!ymd.ok() || *h > 23 || *mi > 59 || sec > 59) return std::nullopt;
  local_seconds local = local_days{ymd} + hours{*h} + minutes{*mi} + seconds{sec};
  if (pos == s.size()) return zone.toUtc(local);
  if (s[pos] == 'Z' && pos + 1 == s.size()) return sys_seconds{local.time_since_epoch()};
  if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
    auto oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    seconds offset = hours{*oh} + minutes{*om};
    if (s[pos] == '-') offset = -offset;
    return sys_seconds{local.time_since_epoch() - offset};
  }
  return std::nullopt;
}

std::optional<seconds> parseDuration(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  seconds total{0};
  std::size_t i = 0;
  bool any = false;
  while (i < s.size()) {
    std::int64_t n = 0;
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') n = n * 10 + (s[i++] - '0');
    if (i == start) return std::nullopt;
    char unit = i < s.size() ? s[i++] : (any ? '\0' : 'm');
    switch (unit) {
      case 'd':
        total += days{n};
        break;
      case 'h':
        total += hours{n};
        break;
      case 'm':
        total += minutes{n};
        break;
      case 's':
        total += seconds{n};
        break;
      default:
        return std::nullopt;
    }
    any = true;
  }
  if (total <= seconds{0} || total > days{31}) return std::nullopt;
  return total;
}

}  // namespace diemcau::signaling::scheduler
