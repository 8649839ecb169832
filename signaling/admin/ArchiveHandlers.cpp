// /api/v1/archives: the meeting archive folders (signaling/archive) as the admin sees them.
#include <spdlog/spdlog.h>

#include <fstream>

#include "signaling/admin/AdminApi.hpp"
#include "signaling/admin/ApiError.hpp"
#include "signaling/admin/ArchiveExportSource.hpp"
#include "signaling/archive/ArchiveEvent.hpp"
#include "signaling/archive/MeetingArchive.hpp"
#include "signaling/archive/TarStream.hpp"

namespace diemcau::signaling::admin {

namespace http = boost::beast::http;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json readMinutes(const fs::path& folder) {
  std::ifstream in(folder / "minutes.json");
  if (!in) return nullptr;
  json minutes = json::parse(in, nullptr, false);
  return minutes.is_object() ? minutes : json(nullptr);
}

std::string fileKind(const std::string& name) {
  if (archive::MeetingArchive::isRecordingFile(name)) return "recording";
  if (name == "events.jsonl") return "events";
  if (name == "minutes.json" || name == "minutes.md") return "minutes";
  if (name == archive::kSumsFile) return "checksums";
  return "other";
}

/// The meeting's times: from the minutes once closed, else from the first and last logged event.
void addTimes(json& out, const json& minutes, const fs::path& folder) {
  if (minutes.is_object()) {
    out["started"] = minutes.value("started", "");
    out["ended"] = minutes.value("ended", "");
    out["durationMs"] = minutes.value("durationMs", int64_t{0});
    return;
  }
  const auto log = archive::readEventLog(folder / "events.jsonl", 64ull << 20);
  if (log.events.empty()) {
    out["started"] = nullptr;
    out["ended"] = nullptr;
    out["durationMs"] = nullptr;
    return;
  }
  out["started"] = archive::formatUtcMillis(log.events.front().atMs);
  out["ended"] = nullptr;  // still running, or interrupted and not yet recovered
  out["durationMs"] = log.events.back().atMs - log.events.front().atMs;
}

json verifyToJson(const std::string& id, const archive::VerifyResult& result, const std::string& at) {
  return {{"id", id},
          {"ok", result.ok()},
          {"sumsPresent", result.sumsPresent},
          {"checked", result.checked},
          {"changed", result.changed},
          {"missing", result.missing},
          {"unlisted", result.unlisted},
          {"verifiedAt", at}};
}

}  // namespace

fs::path AdminApi::requireArchive(const std::string& id) const {
  if (!archive_) throw ApiError::notFound("archive '" + id + "' not found");
  fs::path folder;
  try {
    folder = archive_->folderOf(id);
  } catch (const std::invalid_argument&) {
    // Not one safe path component ("..", "a/b", ...): no archive can have that name.
    throw ApiError::notFound("archive '" + id + "' not found");
  }
  std::error_code error;
  if (!fs::is_directory(folder, error)) throw ApiError::notFound("archive '" + id + "' not found");
  return folder;
}

json AdminApi::archives(const Call& call, int& /*status*/) {
  const bool get = call.method == http::verb::get;
  if (call.path.size() == 1) {
    if (!get) throw ApiError(405, "method_not_allowed", "use GET");
    json out = json::array();
    if (!archive_) return out;
    const bool verifyNow = call.query.contains("verify") && call.query.at("verify") != "false";
    for (const archive::ArchiveSummary& s : archive_->list()) {
      const fs::path folder = archive_->folderOf(s.meetingId);
      const json minutes = readMinutes(folder);
      json entry = {{"id", s.meetingId},
                    {"title", !s.title.empty() ? s.title
                              : minutes.is_object() ? minutes["meeting"].value("title", "")
                                                    : ""},
                    {"state", s.closed ? "closed" : "open"},
                    {"hasMinutes", s.hasMinutes},
                    {"recordings", s.recordings},
                    {"recordingBytes", s.recordingBytes},
                    {"sizeBytes", s.totalBytes}};
      addTimes(entry, minutes, folder);
      size_t files = 0;
      for (const auto& f : fs::directory_iterator(folder)) files += f.is_regular_file() ? 1 : 0;
      entry["files"] = files;
      if (verifyNow && s.closed) {
        verified_[s.meetingId] = {archive_->verify(s.meetingId).ok(), archive::formatUtcMillis(clock_.now().time_since_epoch().count() * 1000)};
      }
      const auto known = verified_.find(s.meetingId);
      entry["verified"] = known == verified_.end() ? json(nullptr) : json(known->second.ok);
      entry["verifiedAt"] = known == verified_.end() ? json(nullptr) : json(known->second.at);
      out.push_back(std::move(entry));
    }
    return out;
  }
  const std::string& id = call.path[1];
  const fs::path folder = requireArchive(id);
  if (call.path.size() == 2) {
    if (!get) throw ApiError(405, "method_not_allowed", "use GET");
    const json minutes = readMinutes(folder);
    json recordings = json::object();  // file name -> its entry in the minutes
    if (minutes.is_object() && minutes["recordings"].is_array()) {
      for (const json& r : minutes["recordings"]) {
        if (r.is_object() && r["file"].is_string()) recordings[fs::path(r["file"].get<std::string>()).filename().string()] = r;
      }
    }
    json files = json::array();
    std::vector<fs::directory_entry> entries(fs::directory_iterator(folder), fs::directory_iterator{});
    std::sort(entries.begin(), entries.end());
    for (const auto& f : entries) {
      const std::string name = f.path().filename().string();
      if (!f.is_regular_file() || name.ends_with(".tmp")) continue;
      json file = {{"name", name}, {"sizeBytes", f.file_size()}, {"kind", fileKind(name)}};
      if (recordings.contains(name)) {
        const json& r = recordings[name];
        file["participant"] = r.value("participant", "");
        file["started"] = r.value("started", json(nullptr));
        file["durationMs"] = r.value("durationMs", json(nullptr));
      }
      files.push_back(std::move(file));
    }
    const bool closed = fs::exists(folder / archive::kSumsFile);
    json out = {{"id", id}, {"state", closed ? "closed" : "open"}, {"files", files}, {"minutes", minutes}};
    out["title"] = minutes.is_object() ? minutes["meeting"].value("title", "") : "";
    if (auto meeting = store_.findMeeting(id); meeting && out["title"] == "") out["title"] = meeting->title;
    addTimes(out, minutes, folder);
    const auto known = verified_.find(id);
    out["verified"] = known == verified_.end() ? json(nullptr) : json(known->second.ok);
    return out;
  }
  if (call.path.size() == 3 && call.path[2] == "verify") {
    if (!get && call.method != http::verb::post) throw ApiError(405, "method_not_allowed", "use GET or POST");
    const auto result = archive_->verify(id);
    const std::string at = archive::formatUtcMillis(clock_.now().time_since_epoch().count() * 1000);
    verified_[id] = {result.ok(), at};
    json out = verifyToJson(id, result, at);
    audit("archive.verify", id, json{{"ok", result.ok()}, {"changed", result.changed}, {"missing", result.missing}}.dump());
    return out;
  }
  if (call.path.size() == 3 && call.path[2] == "export") {
    if (!get) throw ApiError(405, "method_not_allowed", "use GET");
    // Without the streaming route (in-process use) this is the manifest of what the export holds.
    const archive::TarStream tar(folder, id);
    json files = json::array();
    for (const auto& e : tar.entries()) files.push_back({{"name", e.name}, {"sizeBytes", e.size}});
    return {{"id", id}, {"tarBytes", tar.size()}, {"files", files}};
  }
  throw ApiError::notFound("no such endpoint");
}

http_stream::RoutedResponse AdminApi::handleRouted(const Request& request) {
  Response checked = handle(request);
  std::string_view target(request.target().data(), request.target().size());
  target = target.substr(0, target.find('?'));
  const bool isExport = request.method() == http::verb::get && target.ends_with("/export") &&
                        target.starts_with(std::string(kPrefix) + "archives/");
  if (!isExport || checked.result() != http::status::ok) return checked;
  // handle() has checked the key and the id; the folder is the path segment between the two.
  std::string id(target.substr(kPrefix.size() + 9));
  id = id.substr(0, id.size() - std::string_view("/export").size());
  std::string decoded;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (id[i] == '%' && i + 2 < id.size()) {
      decoded += static_cast<char>(std::stoi(id.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += id[i];
    }
  }
  const fs::path folder = requireArchive(decoded);
  // The disk is read on the archive's worker thread, a few pieces ahead of the socket.
  auto source = std::make_shared<ArchiveExportSource>(folder, decoded, archive_->reader());
  http_stream::StreamResponse response{http::status::ok, request.version()};
  response.keep_alive(request.keep_alive());
  response.set(http::field::content_type, "application/x-tar");
  response.set(http::field::cache_control, "no-store");
  response.set(http::field::content_disposition, "attachment; filename=\"" + decoded + ".tar\"");
  response.body() = std::move(source);
  response.prepare_payload();
  audit("archive.export", decoded);
  spdlog::info("admin: exporting archive {} ({} bytes)", decoded, response.body()->size());
  return response;
}

}  // namespace diemcau::signaling::admin
