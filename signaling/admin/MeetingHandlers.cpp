#include "signaling/admin/AdminApi.hpp"
#include "signaling/admin/ApiError.hpp"
#include "signaling/admin/InputRules.hpp"
#include "signaling/admin/JsonCodec.hpp"
#include "signaling/scheduler/ScheduleClash.hpp"
#include "signaling/scheduler/TimeText.hpp"
#include "signaling/tokens/SecretFile.hpp"

namespace diemcau::signaling::admin {

namespace http = boost::beast::http;
using nlohmann::json;
using std::chrono::sys_seconds;

namespace {

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxAgenda = 8000;
constexpr std::chrono::minutes kMaxLobby{240};
constexpr std::chrono::hours kMaxLength{24};

scheduler::TimeZone zoneNamed(const std::string& name) {
  auto zone = scheduler::TimeZone::load(name);
  if (!zone) throw ApiError::invalid("timeZone", "unknown time zone '" + name + "' (e.g. Asia/Ho_Chi_Minh)");
  return *zone;
}

sys_seconds instantField(const json& body, const char* name, const scheduler::TimeZone& zone,
                         sys_seconds now) {
  auto text = optionalText(body, name, 40);
  if (!text) throw ApiError::invalid(name, std::string(name) + " is required");
  auto t = scheduler::parseInstant(*text, zone, now);
  if (!t) {
    throw ApiError::invalid(
        name, std::string(name) + " must be ISO 8601 or 'YYYY-MM-DD HH:MM', not '" + *text + "'");
  }
  return *t;
}

store::Recurrence readRecurrence(const json& value, const scheduler::TimeZone& zone, sys_seconds now) {
  if (!value.is_object())
    throw ApiError::invalid("recurrence", "recurrence must be an object {kind, days, until}");
  store::Recurrence r;
  auto kindText = optionalText(value, "kind", 16).value_or("none");
  auto kind = store::parseRecurrenceKind(kindText);
  if (!kind)
    throw ApiError::invalid("recurrence.kind", "recurrence.kind must be none, daily, weekly or monthly");
  r.kind = *kind;
  if (auto days = value.find("days"); days != value.end()) {
    static constexpr std::string_view kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    if (!days->is_array())
      throw ApiError::invalid("recurrence.days", "recurrence.days must be a list like [\"mon\"]");
    for (const auto& d : *days) {
      int index = -1;
      for (int i = 0; i < 7; ++i) {
        if (d.is_string() && d.get<std::string>() == kNames[i]) index = i;
      }
      if (index < 0) throw ApiError::invalid("recurrence.days", "recurrence.days takes mon, tue, ... sun");
      r.weekdays |= static_cast<std::uint8_t>(1u << index);
    }
  }
  if (r.kind == store::RecurrenceKind::Weekly && r.weekdays == 0) {
    throw ApiError::invalid("recurrence.days", "a weekly meeting needs at least one day");
  }
  if (value.contains("until") && !value["until"].is_null()) r.until = instantField(value, "until", zone, now);
  return r;
}

}  // namespace

void AdminApi::applyMeetingFields(store::Meeting& m, const json& body, bool creating) {
  auto now = clock_.now();
  if (auto title = optionalText(body, "title", kMaxTitle)) m.title = *title;
  if (auto agenda = optionalText(body, "agenda", kMaxAgenda, true, true)) m.agenda = *agenda;
  if (auto zone = optionalText(body, "timeZone", 64)) m.timeZone = *zone;
  auto zone = zoneNamed(m.timeZone);
  if (auto host = optionalText(body, "host", 63)) m.hostSiteId = *host;
  if (auto sites = body.find("sites"); sites != body.end()) {
    if (!sites->is_array() || sites->size() > options_.maxInvited) {
      throw ApiError::invalid("sites", "sites must be a list of at most " + std::to_string(options_.maxInvited) +
                                           " site ids");
    }
    m.invitedSiteIds.clear();
    for (const auto& s : *sites) {
      if (!s.is_string() || !isSlug(s.get<std::string>()))
        throw ApiError::invalid("sites", "sites must be site ids");
      if (std::find(m.invitedSiteIds.begin(), m.invitedSiteIds.end(), s) == m.invitedSiteIds.end()) {
        m.invitedSiteIds.push_back(s);
      }
    }
  }
  auto length = m.end - m.start;
  if (body.contains("start")) m.start = instantField(body, "start", zone, now);
  if (body.contains("end")) {
    m.end = instantField(body, "end", zone, now);
  } else if (auto d = optionalText(body, "duration", 16)) {
    auto parsed = scheduler::parseDuration(*d);
    if (!parsed) throw ApiError::invalid("duration", "duration must look like 90m, 2h or 1h30m");
    m.end = m.start + *parsed;
  } else if (creating) {
    throw ApiError::invalid("end", "end or duration is required");
  } else {
    m.end = m.start + length;  // moving the start keeps the length
  }
  if (auto rec = body.find("recurrence"); rec != body.end()) m.recurrence = readRecurrence(*rec, zone, now);
  if (auto policy = optionalText(body, "recording", 16)) {
    auto parsed = store::parseRecordingPolicy(*policy);
    if (!parsed) throw ApiError::invalid("recording", "recording must be none, host or all");
    m.recording = *parsed;
  }
  if (auto lobby = body.find("lobbyMinutes"); lobby != body.end()) {
    if (!lobby->is_number_integer() || *lobby < 0 || *lobby > kMaxLobby.count()) {
      throw ApiError::invalid("lobbyMinutes", "lobbyMinutes must be a whole number from 0 to 240");
    }
    m.lobbyLead = std::chrono::minutes{lobby->get<int>()};
  }
  if (creating && m.title.empty()) throw ApiError::invalid("title", "title is required");
  if (creating && m.hostSiteId.empty()) throw ApiError::invalid("host", "host is required");
}

void AdminApi::checkMeetingRules(const store::Meeting& m, bool allowOverlap) {
  if (m.end <= m.start) throw ApiError::invalid("end", "the meeting ends before it starts");
  if (m.end - m.start > kMaxLength) throw ApiError::invalid("end", "a meeting lasts at most 24 hours");
  if (m.recurrence.until && *m.recurrence.until < m.start) {
    throw ApiError::invalid("recurrence.until", "the series ends before its first meeting");
  }
  auto host = store_.findSite(m.hostSiteId);
  if (!host) throw ApiError::invalid("host", "unknown site '" + m.hostSiteId + "'");
  if (host->kind != store::SiteKind::Hall) {
    throw ApiError::invalid("host", "site '" + m.hostSiteId + "' is a " +
                                        std::string(store::toString(host->kind)) + ", only a hall can host");
  }
  for (const auto& id : m.invitedSiteIds) {
    if (!store_.findSite(id)) throw ApiError::invalid("sites", "unknown site '" + id + "'");
    if (id == m.hostSiteId) throw ApiError::invalid("sites", "the host '" + id + "' is not also invited");
  }
  if (allowOverlap) return;
  // Series on either side are expanded (not only their first meeting): a weekly series can clash with a
  // meeting or another series months after both start.
  store::MeetingFilter sameHost;
  sameHost.hostSiteId = m.hostSiteId;
  sameHost.states = {store::MeetingState::Scheduled, store::MeetingState::Open, store::MeetingState::Live};
  if (auto clash = scheduler::findClash(m, store_.listMeetings(sameHost))) {
    auto when = scheduler::formatLocal(clash->at, zoneNamed(m.timeZone)) + " " + m.timeZone;
    throw ApiError::conflict("host '" + m.hostSiteId + "' already has meeting '" + clash->other.id + "' (" +
                                 clash->other.title + ") on " + when +
                                 "; pass allowOverlap to schedule anyway",
                             "start");
  }
}

json AdminApi::createMeeting(const json& body) {
  store::Meeting m;
  m.id = "m-" + tokens::randomHex(5);
  m.createdAt = clock_.now();
  applyMeetingFields(m, body, true);
  auto overlap = body.find("allowOverlap");
  checkMeetingRules(m, overlap != body.end() && overlap->is_boolean() && overlap->get<bool>());
  store_.runInTransaction([&] {
    store_.addMeeting(m);
    audit("meeting.schedule", m.id, m.title);
  });
  if (onMeetingsChanged_) onMeetingsChanged_();
  return toJson(*store_.findMeeting(m.id));
}

json AdminApi::editMeeting(const std::string& id, const json& body) {
  auto m = requireMeeting(id);
  if (store::isFinal(m.state)) {
    throw ApiError::conflict("meeting '" + id + "' is " + std::string(store::toString(m.state)) +
                             "; it cannot change");
  }
  if (m.state != store::MeetingState::Scheduled) {
    for (const char* fixed : {"start", "host", "timeZone", "recurrence"}) {
      if (body.contains(fixed)) {
        throw ApiError::conflict(std::string(fixed) + " cannot change once the lobby is open", fixed);
      }
    }
  }
  if (body.contains("id")) throw ApiError::invalid("id", "a meeting's id cannot change");
  applyMeetingFields(m, body, false);
  auto overlap = body.find("allowOverlap");
  checkMeetingRules(m, overlap != body.end() && overlap->is_boolean() && overlap->get<bool>());
  store_.runInTransaction([&] {
    store_.updateMeeting(m);
    audit("meeting.edit", m.id, m.title);
  });
  if (onMeetingsChanged_) onMeetingsChanged_();
  return toJson(*store_.findMeeting(id));
}

// GET|POST /meetings, GET|PATCH /meetings/{id}, POST /meetings/{id}/cancel, GET /meetings/{id}/links
json AdminApi::meetings(const Call& call, int& status) {
  if (call.path.size() == 1) {
    if (call.method == http::verb::post) {
      status = 201;
      return createMeeting(call.body);
    }
    if (call.method != http::verb::get) throw ApiError(405, "method_not_allowed", "use GET or POST");
    store::MeetingFilter filter;
    if (auto it = call.query.find("state"); it != call.query.end()) {
      auto state = store::parseMeetingState(it->second);
      if (!state) throw ApiError::invalid("state", "state must be scheduled, open, live, ended or cancelled");
      filter.states = {*state};
    }
    if (auto it = call.query.find("host"); it != call.query.end()) filter.hostSiteId = it->second;
    json out = json::array();
    for (const auto& m : store_.listMeetings(filter)) out.push_back(toJson(m));
    return out;
  }
  const auto& id = call.path[1];
  if (call.path.size() == 2) {
    if (call.method == http::verb::get) return toJson(requireMeeting(id));
    if (call.method == http::verb::patch) return editMeeting(id, call.body);
    throw ApiError(405, "method_not_allowed", "use GET or PATCH");
  }
  if (call.path.size() != 3) throw ApiError::notFound("no such endpoint");
  auto m = requireMeeting(id);
  if (call.path[2] == "cancel") {
    if (call.method != http::verb::post) throw ApiError(405, "method_not_allowed", "use POST");
    if (store::isFinal(m.state)) {
      throw ApiError::conflict("meeting '" + id + "' is already " + std::string(store::toString(m.state)));
    }
    if (scheduler_) {
      scheduler_->cancel(id, clock_.now());
    } else {
      store_.setMeetingState(id, store::MeetingState::Cancelled);
    }
    audit("meeting.cancel", id, m.title);
    if (onMeetingsChanged_) onMeetingsChanged_();
    return toJson(requireMeeting(id));
  }
  if (call.path[2] == "links") {
    if (call.method != http::verb::get) throw ApiError(405, "method_not_allowed", "use GET");
    if (store::isFinal(m.state)) {
      throw ApiError::conflict("meeting '" + id + "' is " + std::string(store::toString(m.state)) +
                               "; no links");
    }
    return links(m);
  }
  throw ApiError::notFound("no such endpoint");
}

json AdminApi::status(const Call&) {
  store::MeetingFilter running;
  running.states = {store::MeetingState::Open, store::MeetingState::Live};
  json meetings = json::array();
  for (const auto& m : store_.listMeetings(running)) {
    if (m.isSeries()) continue;
    json entry = toJson(m);
    json sites = json::array();
    auto addSite = [&](const std::string& siteId, const char* role) {
      auto site = store_.findSite(siteId);
      sites.push_back({{"id", siteId}, {"name", site ? site->name : siteId}, {"role", role}});
    };
    addSite(m.hostSiteId, "host");
    for (const auto& s : m.invitedSiteIds) addSite(s, "site");
    entry["siteDetails"] = sites;
    entry["live"] = live_ ? live_->liveStatus(m.id) : json(nullptr);
    meetings.push_back(entry);
  }
  return json{{"now", scheduler::formatUtc(clock_.now())}, {"meetings", meetings}};
}

}  // namespace diemcau::signaling::admin
