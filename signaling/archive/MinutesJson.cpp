#include "signaling/archive/ArchiveEvent.hpp"
#include "signaling/archive/MinutesText.hpp"

namespace diemcau::signaling::archive {

nlohmann::json minutesToJson(const Minutes& m) {
  using Json = nlohmann::json;
  Json sites = Json::array();
  for (const SiteAttendance& s : m.sites) {
    Json present = Json::array();
    for (const Interval& i : s.present) {
      present.push_back({{"joined", formatUtcMillis(i.fromMs)}, {"left", formatUtcMillis(i.toMs)},
                         {"reason", i.leaveReason}});
    }
    Json site = {{"id", s.id},
                 {"displayName", s.displayName},
                 {"role", s.role.empty() ? Json(nullptr) : Json(s.role)},
                 {"invited", s.invited},
                 {"absent", s.absent()},
                 {"present", present},
                 {"gaps", s.gaps()},
                 {"presentMs", s.presentMs},
                 {"speakingMs", s.speakingMs},
                 {"handRaises", s.handRaises},
                 {"floorGrants", s.floorGrants},
                 {"connectionLosses", s.connectionLosses}};
    if (s.linkSamples > 0) {
      site["link"] = {{"samples", s.linkSamples}, {"meanFractionLost", s.meanFractionLost}, {"meanRttMs", s.meanRttMs}};
    }
    sites.push_back(std::move(site));
  }
  Json actions = Json::array();
  for (const ChairAction& a : m.chairActions) {
    actions.push_back({{"at", formatUtcMillis(a.atMs)}, {"by", a.by}, {"action", a.action}, {"target", a.target}});
  }
  Json floor = Json::array();
  for (const FloorEntry& f : m.floor) {
    floor.push_back({{"at", formatUtcMillis(f.atMs)}, {"kind", f.kind}, {"participant", f.participant}});
  }
  Json chat = Json::array();
  for (const ChatLine& c : m.chat) chat.push_back({{"at", formatUtcMillis(c.atMs)}, {"from", c.from}, {"text", c.text}});
  Json recordings = Json::array();
  for (const RecordingEntry& r : m.recordings) {
    Json entry = {{"participant", r.participant},
                  {"file", r.file},
                  {"started", r.startedMs ? Json(formatUtcMillis(r.startedMs)) : Json(nullptr)},
                  {"stopped", r.stoppedMs ? Json(formatUtcMillis(r.stoppedMs)) : Json(nullptr)},
                  {"durationMs", r.stoppedMs && r.startedMs ? Json(r.stoppedMs - r.startedMs) : Json(nullptr)},
                  {"sizeBytes", r.sizeBytes},
                  {"droppedPackets", r.droppedPackets}};
    if (!r.failure.empty()) entry["failure"] = r.failure;
    recordings.push_back(std::move(entry));
  }
  return {{"meeting", {{"id", m.meetingId}, {"title", m.title}, {"agenda", m.agenda}, {"timeZone", m.timeZone}}},
          {"host", {{"id", m.hostSiteId}, {"displayName", m.hostName}}},
          {"chairs", m.chairs},
          {"started", formatUtcMillis(m.startedMs)},
          {"ended", formatUtcMillis(m.endedMs)},
          {"durationMs", m.endedMs - m.startedMs},
          {"endReason", m.endReason},
          {"interrupted", m.interrupted},
          {"speakingTimeSource", m.speakingSource},
          {"sites", sites},
          {"chairActions", actions},
          {"floor", floor},
          {"chat", chat},
          {"recordings", recordings},
          {"malformedEventLines", m.malformedLines}};
}

}  // namespace diemcau::signaling::archive
