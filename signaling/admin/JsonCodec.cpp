#include "signaling/admin/JsonCodec.hpp"

#include "signaling/scheduler/TimeText.hpp"

namespace diemcau::signaling::admin {

using nlohmann::json;
using scheduler::formatUtc;

namespace {
constexpr const char* kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
}

json toJson(const store::Site& site) {
  return json{{"id", site.id},
              {"name", site.name},
              {"kind", store::toString(site.kind)},
              {"contact", site.contact},
              {"createdAt", formatUtc(site.createdAt)}};
}

json toJson(const store::Meeting& m) {
  json recurrence{{"kind", store::toString(m.recurrence.kind)}};
  if (m.recurrence.kind == store::RecurrenceKind::Weekly) {
    json days = json::array();
    for (int i = 0; i < 7; ++i) {
      if (m.recurrence.weekdays & (1u << i)) days.push_back(kWeekdays[i]);
    }
    recurrence["days"] = days;
  }
  if (m.recurrence.until) recurrence["until"] = formatUtc(*m.recurrence.until);
  json out{{"id", m.id},
           {"title", m.title},
           {"agenda", m.agenda},
           {"host", m.hostSiteId},
           {"sites", m.invitedSiteIds},
           {"start", formatUtc(m.start)},
           {"end", formatUtc(m.end)},
           {"timeZone", m.timeZone},
           {"recurrence", recurrence},
           {"recording", store::toString(m.recording)},
           {"lobbyMinutes", m.lobbyLead.count()},
           {"state", store::toString(m.state)},
           {"createdAt", formatUtc(m.createdAt)}};
  if (!m.seriesId.empty()) out["series"] = m.seriesId;
  return out;
}

json toJson(const store::AuditEntry& e) {
  return json{{"id", e.id},         {"at", formatUtc(e.at)}, {"actor", e.actor},
              {"action", e.action}, {"target", e.target},    {"detail", e.detail}};
}

}  // namespace diemcau::signaling::admin
