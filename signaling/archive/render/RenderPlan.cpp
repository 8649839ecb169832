#include "signaling/archive/render/RenderPlan.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "signaling/archive/ArchiveEvent.hpp"
#include "signaling/archive/MinutesBuilder.hpp"

namespace diemcau::signaling::archive::render {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// "participant" as a string id or as an object with "id", the two shapes the event log uses.
std::optional<std::string> participantOf(const json& fields) {
  const auto it = fields.find("participant");
  if (it == fields.end() || it->is_null()) return std::string();
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("id") && (*it)["id"].is_string()) return (*it)["id"].get<std::string>();
  return std::nullopt;
}

json readJson(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return nullptr;
  json value = json::parse(in, nullptr, false);
  return value.is_discarded() ? json(nullptr) : value;
}

}  // namespace

RenderPlan planRender(const fs::path& folder, const std::vector<std::string>& leaveOut) {
  const auto log = readEventLog(folder / "events.jsonl");
  if (log.events.empty()) throw std::runtime_error("no event log in " + folder.string());
  const json closed = readJson(folder / "minutes.json");

  store::Meeting meeting;
  meeting.id = folder.filename().string();
  if (closed.is_object() && closed["host"].is_object()) meeting.hostSiteId = closed["host"].value("id", "");
  if (meeting.hostSiteId.empty()) {
    // An open archive: the hall is whoever joined as host first.
    for (const ArchiveEvent& e : log.events) {
      const auto p = e.fields.find("participant");
      if (e.type == "participant.joined" && p != e.fields.end() && p->is_object() && p->value("role", "") == "host") {
        meeting.hostSiteId = p->value("id", "");
        break;
      }
    }
  }
  const Minutes minutes = buildMinutes(meeting, log, [](const std::string&) { return std::nullopt; });

  RenderPlan plan;
  plan.meetingId = meeting.id;
  plan.title = closed.is_object() && closed["meeting"].is_object() ? closed["meeting"].value("title", "") : "";
  plan.durationMs = std::max<int64_t>(0, minutes.endedMs - minutes.startedMs);

  auto nameOf = [&](const std::string& id) {
    for (const SiteAttendance& s : minutes.sites) {
      if (s.id == id) return s.displayName.empty() ? id : s.displayName;
    }
    return id;
  };
  auto rankOf = [&](const std::string& id) {
    for (size_t i = 0; i < minutes.sites.size(); ++i) {
      if (minutes.sites[i].id == id) return i;
    }
    return minutes.sites.size();
  };
  for (const RecordingEntry& r : minutes.recordings) {
    const fs::path file = folder / fs::path(r.file).filename();
    if (std::find(leaveOut.begin(), leaveOut.end(), file.filename().string()) != leaveOut.end()) continue;
    std::error_code error;
    if (!fs::is_regular_file(file, error)) {
      spdlog::warn("render {}: {} is in the log but not in the folder", plan.meetingId, r.file);
      continue;
    }
    if (r.startedMs == 0) {
      spdlog::warn("render {}: {} has no recording.started event; left out", plan.meetingId, r.file);
      continue;
    }
    RenderTrack track;
    track.participant = r.participant;
    track.displayName = nameOf(r.participant);
    track.file = file;
    track.offsetMs = std::max<int64_t>(0, r.startedMs - minutes.startedMs);
    track.durationMs = r.stoppedMs > r.startedMs ? r.stoppedMs - r.startedMs : 0;
    plan.tracks.push_back(std::move(track));
  }
  if (plan.tracks.empty()) throw std::runtime_error("no recording to render in " + folder.string());
  std::stable_sort(plan.tracks.begin(), plan.tracks.end(), [&](const RenderTrack& a, const RenderTrack& b) {
    if (rankOf(a.participant) != rankOf(b.participant)) return rankOf(a.participant) < rankOf(b.participant);
    return a.offsetMs < b.offsetMs;
  });

  // The large tile: the current speaker's most recent recording; the hall otherwise.
  auto trackOf = [&](const std::string& participant, int64_t atMs) -> std::optional<size_t> {
    std::optional<size_t> best;
    for (size_t i = 0; i < plan.tracks.size(); ++i) {
      const RenderTrack& t = plan.tracks[i];
      if (t.participant != participant) continue;
      if (!best || (t.offsetMs <= atMs && t.offsetMs >= plan.tracks[*best].offsetMs)) best = i;
    }
    return best;
  };
  const size_t hall = trackOf(meeting.hostSiteId, 0).value_or(0);
  auto push = [&](int64_t atMs, size_t big) {
    if (!plan.layout.empty() && plan.layout.back().big == big) return;
    if (!plan.layout.empty() && plan.layout.back().atMs == atMs) {
      plan.layout.back().big = big;
      if (plan.layout.size() > 1 && plan.layout[plan.layout.size() - 2].big == big) plan.layout.pop_back();
      return;
    }
    plan.layout.push_back({atMs, big});
  };
  push(0, hall);
  plan.largeSource = "hall";
  for (const ArchiveEvent& e : log.events) {
    if (e.type != "speaker.changed") continue;
    plan.largeSource = "speaker";
    const auto speaker = participantOf(e.fields);
    if (!speaker) continue;
    const int64_t atMs = std::clamp<int64_t>(e.atMs - minutes.startedMs, 0, plan.durationMs);
    push(atMs, speaker->empty() ? hall : trackOf(*speaker, atMs).value_or(hall));
  }
  return plan;
}

}  // namespace diemcau::signaling::archive::render
