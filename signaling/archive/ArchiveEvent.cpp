#include "signaling/archive/ArchiveEvent.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>

namespace diemcau::signaling::archive {

namespace {

constexpr size_t kMaxLine = 256 * 1024;

bool digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<int64_t> parseUtcMillis(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.mmm]Z
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (text.size() != 20 && text.size() != 24) return std::nullopt;
  if (!digits(text, 0, 4, year) || text[4] != '-' || !digits(text, 5, 2, month) || text[7] != '-' ||
      !digits(text, 8, 2, day) || text[10] != 'T' || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (text.size() == 24 && (text[19] != '.' || !digits(text, 20, 3, millis))) return std::nullopt;
  if (text.back() != 'Z' || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  const auto days = std::chrono::sys_days(date).time_since_epoch().count();
  return ((static_cast<int64_t>(days) * 24 + hour) * 60 + minute) * 60'000 + int64_t{second} * 1000 + millis;
}

std::string formatUtcMillis(int64_t atMs) {
  using namespace std::chrono;
  const sys_time<milliseconds> at{milliseconds(atMs)};
  const auto day = floor<days>(at);
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> time{at - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return buffer;
}

std::optional<ArchiveEvent> parseEventLine(std::string_view line) {
  if (line.empty() || line.size() > kMaxLine) return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  const auto at = json.find("at");
  const auto type = json.find("type");
  if (at == json.end() || !at->is_string() || type == json.end() || !type->is_string()) return std::nullopt;
  const auto atMs = parseUtcMillis(at->get_ref<const std::string&>());
  if (!atMs) return std::nullopt;
  ArchiveEvent event;
  event.atMs = *atMs;
  event.type = type->get<std::string>();
  event.fields = std::move(json);
  return event;
}

EventLogContents readEventLog(const std::filesystem::path& file, uint64_t maxBytes) {
  EventLogContents contents;
  std::ifstream in(file, std::ios::binary);
  if (!in) return contents;
  std::string line;
  uint64_t read = 0;
  while (std::getline(in, line)) {
    read += line.size() + 1;
    if (read > maxBytes) {
      contents.truncated = true;
      break;
    }
    if (line.empty()) continue;
    if (auto event = parseEventLine(line)) {
      contents.events.push_back(std::move(*event));
    } else {
      ++contents.malformedLines;  // a line cut by a crash mid-write ends up here too
    }
  }
  return contents;
}

}  // namespace diemcau::signaling::archive
