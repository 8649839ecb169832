#include "signaling/meeting/EventLog.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "signaling/meeting/UtcMillis.hpp"

namespace diemcau::signaling::meeting {

namespace {

// A disk that stays full would otherwise log once per event.
constexpr uint64_t kLogEveryNthFailure = 100;

}  // namespace

std::filesystem::path EventLog::pathFor(const std::filesystem::path& dataDir, std::string_view meetingId) {
  return dataDir / "archive" / std::string(meetingId) / "events.jsonl";
}

bool EventLog::isSafeMeetingId(std::string_view id) {
  if (id.empty() || id.size() > 128 || id == "." || id == "..") return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

EventLog::EventLog(std::filesystem::path file) : file_(std::move(file)) { open(); }

EventLog::~EventLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool EventLog::open() {
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  if (ec) {
    fail("cannot create the folder", ec.value());
    return false;
  }
  ::chmod(file_.parent_path().c_str(), 0700);
  fd_ = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    fail("cannot open", errno);
    return false;
  }
  return true;
}

void EventLog::fail(std::string_view what, int error) {
  ++failures_;
  if (failures_ % kLogEveryNthFailure == 1) {
    spdlog::error("event log {}: {}: {} ({} failures so far)", file_.string(), what, std::strerror(error),
                  failures_);
  }
}

bool EventLog::append(std::chrono::system_clock::time_point at, std::string_view type,
                      const nlohmann::json& fields) {
  // The file may have become reachable again (a remounted disk); try once per event.
  if (fd_ < 0 && !open()) return false;
  nlohmann::ordered_json line;
  line["at"] = formatUtcMillis(at);
  line["type"] = type;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) {
      if (key != "at" && key != "type") line[key] = value;
    }
  }
  // Invalid UTF-8 cannot reach here from the protocol (chat text is validated), but a display name from
  // the store could carry it; replace rather than lose the line.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  // O_APPEND makes each write() land at the end as a whole line; a short write (disk full) is retried
  // for the rest, and if that fails the line is counted as lost.
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
      return false;
    }
    if (n == 0) {
      fail("write made no progress", EIO);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  ++linesWritten_;
  return true;
}

}  // namespace diemcau::signaling::meeting
