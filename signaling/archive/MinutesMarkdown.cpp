#include <chrono>
#include <cstdio>
#include <sstream>

#include "signaling/archive/MinutesText.hpp"

namespace diemcau::signaling::archive {

namespace {

struct Labels {
  const char* minutesOf;
  const char* date;
  const char* timeZone;
  const char* time;
  const char* host;
  const char* chairs;
  const char* agenda;
  const char* interrupted;
  const char* attendance;
  const char* site;
  const char* joinedLeft;
  const char* gaps;
  const char* totalMinutes;
  const char* absentInvited;
  const char* absent;
  const char* speaking;
  const char* speakingFromAudio;
  const char* speakingFromFloor;
  const char* floor;
  const char* chairActions;
  const char* chat;
  const char* recordings;
  const char* dropped;
  const char* link;
  const char* connectionLosses;
  const char* none;
  const char* endReason;
};

constexpr Labels kVietnamese{
    "Biên bản cuộc họp", "Ngày", "Múi giờ", "Thời gian", "Điểm chủ trì", "Chủ trì", "Chương trình",
    "Máy chủ dừng giữa cuộc họp; biên bản được lập khi khởi động lại.", "Điểm cầu tham dự", "Điểm cầu",
    "Vào – ra", "Số lần gián đoạn", "Tổng số phút", "Được mời nhưng vắng mặt", "vắng mặt", "Thời gian phát biểu",
    "theo mức âm thanh", "theo thời gian giữ quyền phát biểu", "Xin và giao quyền phát biểu", "Thao tác của chủ trì",
    "Trò chuyện", "Tệp ghi hình", "gói bị bỏ", "Chất lượng đường truyền", "Số lần mất kết nối", "Không có",
    "Lý do kết thúc"};
constexpr Labels kEnglish{
    "Minutes of the meeting", "Date", "Time zone", "Time", "Host site", "Chairs", "Agenda",
    "The server stopped during the meeting; these minutes were made when it restarted.", "Attendance", "Site",
    "Joined – left", "Gaps", "Total minutes", "Invited but absent", "absent", "Speaking time", "from audio levels",
    "from time holding the floor", "Floor requests and grants", "Chair actions", "Chat", "Recordings",
    "packets dropped", "Link quality", "Connection losses", "None", "End reason"};

std::string localTime(int64_t atMs, const scheduler::TimeZone& zone, bool withDate) {
  using namespace std::chrono;
  const auto local = zone.toLocal(sys_seconds(seconds(atMs / 1000)));
  const auto day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss<seconds> time{local - day};
  char buffer[40];
  if (withDate) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
  } else {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  }
  return buffer;
}

std::string clock(int64_t ms) {
  const int64_t s = ms / 1000;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buffer;
}

std::string minutesText(int64_t ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(ms) / 60000.0);
  return buffer;
}

/// Table cells are user text (site names, chat): keep them on one line and out of the table syntax.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string minutesToMarkdown(const Minutes& m, const scheduler::TimeZone& zone, MinutesLanguage language) {
  const Labels& l = language == MinutesLanguage::English ? kEnglish : kVietnamese;
  std::ostringstream out;
  auto nameOf = [&](const std::string& id) {
    for (const SiteAttendance& s : m.sites) {
      if (s.id == id) return s.displayName;
    }
    return id;
  };
  out << "# " << l.minutesOf << ": " << cell(m.title) << "\n\n";
  out << "- " << l.date << ": " << localTime(m.startedMs, zone, true).substr(0, 10) << "\n";
  out << "- " << l.time << ": " << localTime(m.startedMs, zone, false) << " – " << localTime(m.endedMs, zone, false)
      << " (" << clock(m.endedMs - m.startedMs) << ")\n";
  out << "- " << l.timeZone << ": " << zone.name() << "\n";
  out << "- " << l.host << ": " << cell(m.hostName) << "\n";
  out << "- " << l.chairs << ": ";
  for (size_t i = 0; i < m.chairs.size(); ++i) out << (i ? ", " : "") << cell(m.chairs[i]);
  out << "\n";
  if (!m.endReason.empty()) out << "- " << l.endReason << ": " << m.endReason << "\n";
  if (m.interrupted) out << "\n> " << l.interrupted << "\n";
  if (!m.agenda.empty()) out << "\n## " << l.agenda << "\n\n" << m.agenda << "\n";

  out << "\n## " << l.attendance << "\n\n| " << l.site << " | " << l.joinedLeft << " | " << l.gaps << " | "
      << l.totalMinutes << " |\n|---|---|---|---|\n";
  for (const SiteAttendance& s : m.sites) {
    if (s.absent()) continue;
    out << "| " << cell(s.displayName) << " | ";
    for (size_t i = 0; i < s.present.size(); ++i) {
      out << (i ? "; " : "") << localTime(s.present[i].fromMs, zone, false) << "–"
          << localTime(s.present[i].toMs, zone, false);
    }
    out << " | " << s.gaps() << " | " << minutesText(s.presentMs) << " |\n";
  }
  out << "\n### " << l.absentInvited << "\n\n";
  bool anyAbsent = false;
  for (const SiteAttendance& s : m.sites) {
    if (s.absent() && s.invited) {
      out << "- " << cell(s.displayName) << "\n";
      anyAbsent = true;
    }
  }
  if (!anyAbsent) out << l.none << "\n";

  out << "\n## " << l.speaking << " (" << (m.speakingSource == "audio-level" ? l.speakingFromAudio : l.speakingFromFloor)
      << ")\n\n";
  for (const SiteAttendance& s : m.sites) {
    if (s.speakingMs > 0) out << "- " << cell(s.displayName) << ": " << clock(s.speakingMs) << "\n";
  }

  out << "\n## " << l.floor << "\n\n";
  if (m.floor.empty()) out << l.none << "\n";
  for (const FloorEntry& f : m.floor) {
    out << "- " << localTime(f.atMs, zone, false) << " " << f.kind;
    if (!f.participant.empty()) out << ": " << cell(nameOf(f.participant));
    out << "\n";
  }

  out << "\n## " << l.chairActions << "\n\n";
  if (m.chairActions.empty()) out << l.none << "\n";
  for (const ChairAction& a : m.chairActions) {
    out << "- " << localTime(a.atMs, zone, false) << " " << cell(nameOf(a.by)) << ": " << a.action;
    if (!a.target.empty()) out << " " << cell(nameOf(a.target));
    out << "\n";
  }

  out << "\n## " << l.chat << "\n\n";
  if (m.chat.empty()) out << l.none << "\n";
  for (const ChatLine& c : m.chat) {
    out << "- " << localTime(c.atMs, zone, false) << " **" << cell(nameOf(c.from)) << "**: " << cell(c.text) << "\n";
  }

  out << "\n## " << l.recordings << "\n\n";
  if (m.recordings.empty()) out << l.none << "\n";
  for (const RecordingEntry& r : m.recordings) {
    out << "- `" << cell(r.file) << "` (" << cell(nameOf(r.participant)) << ")";
    if (r.startedMs && r.stoppedMs) out << ", " << clock(r.stoppedMs - r.startedMs);
    out << ", " << r.sizeBytes << " B";
    if (r.droppedPackets) out << ", " << r.droppedPackets << " " << l.dropped;
    if (!r.failure.empty()) out << ", " << cell(r.failure);
    out << "\n";
  }

  out << "\n## " << l.link << "\n\n| " << l.site << " | " << l.connectionLosses
      << " | loss % | RTT ms |\n|---|---|---|---|\n";
  for (const SiteAttendance& s : m.sites) {
    if (s.absent()) continue;
    out << "| " << cell(s.displayName) << " | " << s.connectionLosses << " | ";
    if (s.linkSamples > 0) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.1f | %.0f", s.meanFractionLost * 100.0, s.meanRttMs);
      out << buffer;
    } else {
      out << "– | –";
    }
    out << " |\n";
  }
  return out.str();
}

}  // namespace diemcau::signaling::archive
