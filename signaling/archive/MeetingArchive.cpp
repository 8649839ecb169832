#include "signaling/archive/MeetingArchive.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "signaling/archive/ArchiveEvent.hpp"
#include "signaling/archive/MinutesBuilder.hpp"
#include "signaling/scheduler/TimeZone.hpp"

namespace diemcau::signaling::archive {

namespace fs = std::filesystem;

namespace {

constexpr const char* kEvents = "events.jsonl";

bool isSafeComponent(const std::string& id) {
  if (id.empty() || id.size() > 128 || id == "." || id == "..") return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void writeFile(const fs::path& file, const std::string& text) {
  const fs::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::permissions(temporary, fs::perms::owner_read | fs::perms::owner_write);
  fs::rename(temporary, file);
}

/// Appends one line the way the live event log does: one write() on an O_APPEND descriptor.
void appendLine(const fs::path& file, const std::string& line) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + file.string());
  const std::string text = line + "\n";
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size())) throw std::runtime_error("cannot append to " + file.string());
}

}  // namespace

MeetingArchive::MeetingArchive(fs::path dataDir, store::Store& store) : dataDir_(std::move(dataDir)), store_(store) {}

fs::path MeetingArchive::folderOf(const std::string& meetingId) const {
  if (!isSafeComponent(meetingId)) throw std::invalid_argument("not a meeting id: '" + meetingId + "'");
  return root() / meetingId;
}

bool MeetingArchive::isRecordingFile(const fs::path& file) {
  const std::string ext = file.extension().string();
  return ext == ".mkv" || ext == ".webm" || ext == ".mp4";
}

Minutes MeetingArchive::close(const std::string& meetingId, MinutesLanguage language) {
  Minutes minutes = writeMinutes(meetingId, language);
  writeSha256Sums(folderOf(meetingId));
  return minutes;
}

std::shared_ptr<ArchiveWorker> MeetingArchive::reader() {
  if (!reader_) reader_ = std::make_shared<ArchiveWorker>();
  return reader_;
}

Minutes MeetingArchive::writeMinutes(const std::string& meetingId, MinutesLanguage language) {
  const fs::path folder = folderOf(meetingId);
  if (!fs::exists(folder / kEvents)) throw std::runtime_error("no event log in " + folder.string());
  store::Meeting meeting;
  meeting.id = meetingId;
  if (auto stored = store_.findMeeting(meetingId)) meeting = *stored;
  const auto siteName = [this](const std::string& id) -> std::optional<std::string> {
    if (auto site = store_.findSite(id)) return site->name;
    return std::nullopt;
  };
  Minutes minutes = buildMinutes(meeting, readEventLog(folder / kEvents), siteName);

  // Sizes from the disk; files the log never announced (a crash before the event) are listed too.
  for (RecordingEntry& r : minutes.recordings) {
    std::error_code error;
    const auto size = fs::file_size(folder / fs::path(r.file).filename(), error);
    r.sizeBytes = error ? 0 : size;
  }
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file() || !isRecordingFile(entry.path())) continue;
    const std::string name = entry.path().filename().string();
    const bool known = std::any_of(minutes.recordings.begin(), minutes.recordings.end(),
                                   [&](const RecordingEntry& r) { return fs::path(r.file).filename() == name; });
    if (!known) {
      RecordingEntry extra;
      extra.file = name;
      extra.sizeBytes = entry.file_size();
      minutes.recordings.push_back(std::move(extra));
    }
  }

  const auto zone = scheduler::TimeZone::load(meeting.timeZone);
  if (!zone) spdlog::warn("archive {}: unknown time zone '{}', minutes in UTC", meetingId, meeting.timeZone);
  writeFile(folder / "minutes.json", minutesToJson(minutes).dump(2) + "\n");
  writeFile(folder / "minutes.md", minutesToMarkdown(minutes, zone ? *zone : scheduler::TimeZone::utc(), language));
  return minutes;
}

std::vector<std::string> MeetingArchive::recover() {
  std::vector<std::string> recovered;
  std::error_code error;
  if (!fs::is_directory(root(), error)) return recovered;
  for (const auto& entry : fs::directory_iterator(root())) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_directory() || !isSafeComponent(id)) continue;
    if (!fs::exists(entry.path() / kEvents) || fs::exists(entry.path() / kSumsFile)) continue;
    try {
      const auto log = readEventLog(entry.path() / kEvents);
      const int64_t lastMs = log.events.empty() ? 0 : log.events.back().atMs;
      nlohmann::json line = {{"at", formatUtcMillis(lastMs)}, {"type", "meeting.interrupted"}};
      appendLine(entry.path() / kEvents, line.dump());
      close(id);
      recovered.push_back(id);
      spdlog::warn("archive {}: the server stopped during this meeting; closed and minutes written", id);
    } catch (const std::exception& e) {
      spdlog::error("archive {}: recovery failed: {}", id, e.what());
    }
  }
  return recovered;
}

std::vector<ArchiveSummary> MeetingArchive::list() const {
  std::vector<ArchiveSummary> summaries;
  std::error_code error;
  if (!fs::is_directory(root(), error)) return summaries;
  for (const auto& entry : fs::directory_iterator(root())) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_directory() || !isSafeComponent(id)) continue;
    ArchiveSummary summary;
    summary.meetingId = id;
    if (auto meeting = store_.findMeeting(id)) summary.title = meeting->title;
    summary.closed = fs::exists(entry.path() / kSumsFile);
    summary.hasMinutes = fs::exists(entry.path() / "minutes.json");
    for (const auto& file : fs::directory_iterator(entry.path())) {
      if (!file.is_regular_file()) continue;
      summary.totalBytes += file.file_size();
      if (isRecordingFile(file.path())) {
        ++summary.recordings;
        summary.recordingBytes += file.file_size();
      }
    }
    summaries.push_back(std::move(summary));
  }
  std::sort(summaries.begin(), summaries.end(),
            [](const ArchiveSummary& a, const ArchiveSummary& b) { return a.meetingId < b.meetingId; });
  return summaries;
}

VerifyResult MeetingArchive::verify(const std::string& meetingId) const {
  return verifySha256Sums(folderOf(meetingId));
}

std::vector<std::string> MeetingArchive::applyRetention(int days, std::chrono::sys_seconds now) {
  std::vector<std::string> removed;
  if (days < 0) return removed;
  const int64_t cutoffMs = (now.time_since_epoch().count() - int64_t{days} * 86400) * 1000;
  for (const ArchiveSummary& summary : list()) {
    if (!summary.closed || summary.recordings == 0) continue;
    const fs::path folder = folderOf(summary.meetingId);
    std::ifstream in(folder / "minutes.json");
    const auto minutes = nlohmann::json::parse(in, nullptr, false);
    if (minutes.is_discarded() || !minutes.contains("ended") || !minutes["ended"].is_string()) continue;
    const auto endedMs = parseUtcMillis(minutes["ended"].get<std::string>());
    if (!endedMs || *endedMs > cutoffMs) continue;
    std::vector<std::string> here;
    for (const auto& file : fs::directory_iterator(folder)) {
      if (!file.is_regular_file() || !isRecordingFile(file.path())) continue;
      const auto hash = sha256OfFile(file.path());
      const std::string name = file.path().filename().string();
      fs::remove(file.path());
      store::AuditEntry audit;
      audit.at = now;
      audit.actor = "retention";
      audit.action = "archive.retention";
      audit.target = summary.meetingId;
      audit.detail = nlohmann::json{{"removed", name}, {"sha256", hash.value_or("")}, {"days", days}}.dump();
      store_.appendAudit(audit);
      here.push_back(summary.meetingId + "/" + name);
    }
    if (!here.empty()) writeSha256Sums(folder);
    removed.insert(removed.end(), here.begin(), here.end());
  }
  return removed;
}

}  // namespace diemcau::signaling::archive
