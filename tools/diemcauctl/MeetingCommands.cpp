#include <filesystem>
#include <fstream>
#include <sstream>

#include "signaling/scheduler/TimeText.hpp"
#include "tools/diemcauctl/Commands.hpp"
#include "tools/diemcauctl/IcsWriter.hpp"
#include "tools/diemcauctl/Table.hpp"

namespace diemcau::tools::ctl {

namespace po = boost::program_options;
using nlohmann::json;
using signaling::scheduler::TimeZone;

namespace {

std::chrono::sys_seconds now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

TimeZone zoneFor(const json& meeting) {
  return TimeZone::load(meeting.value("timeZone", "Asia/Ho_Chi_Minh")).value_or(TimeZone::utc());
}

std::string local(const json& meeting, const char* field) {
  auto zone = zoneFor(meeting);
  auto t = signaling::scheduler::parseInstant(meeting.value(field, ""), zone, now());
  return t ? signaling::scheduler::formatLocal(*t, zone) : meeting.value(field, "");
}

void printMeetings(const Context& ctx, const json& meetings) {
  Table table({"ID", "STATE", "START", "END", "HOST", "SITES", "TITLE"});
  for (const auto& m : meetings) {
    table.add({m.value("id", ""), m.value("state", ""), local(m, "start"), local(m, "end"),
               m.value("host", ""), std::to_string(m.value("sites", json::array()).size()),
               m.value("title", "")});
  }
  table.print(ctx.out);
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void addMeetingOptions(po::options_description& options) {
  options.add_options()("id", po::value<std::string>(), "meeting id")(
      "title", po::value<std::string>(), "title")("agenda", po::value<std::string>(), "agenda text")(
      "host", po::value<std::string>(), "host hall site id")("sites", po::value<std::string>(),
                                                             "invited site ids, comma separated")(
      "start", po::value<std::string>(), "ISO 8601 or \"2026-12-01 08:00\" (meeting time zone)")(
      "duration", po::value<std::string>(), "90m, 2h, 1h30m")(
      "end", po::value<std::string>(), "end instead of --duration")("tz", po::value<std::string>(),
                                                                    "time zone (default Asia/Ho_Chi_Minh)")(
      "repeat", po::value<std::string>(), "none | daily | weekly | monthly")(
      "days", po::value<std::string>(), "weekly days: mon,thu")("until", po::value<std::string>(),
                                                                "last day of a series")(
      "recording", po::value<std::string>(), "none | host | all")("lobby", po::value<int>(),
                                                                  "lobby minutes before start")(
      "allow-overlap", "schedule even when the host has another meeting then")(
      "state", po::value<std::string>(), "list: only meetings in this state")(
      "out", po::value<std::string>()->default_value("."), "ics: folder for the .ics files");
}

json meetingBody(const po::variables_map& vm) {
  json body = json::object();
  auto zone = TimeZone::load(vm.count("tz") ? vm["tz"].as<std::string>() : "Asia/Ho_Chi_Minh");
  if (!zone) throw UsageError("--tz: unknown time zone");
  auto text = [&](const char* option, const char* field) {
    if (!vm.count(option)) return;
    auto value = vm[option].as<std::string>();
    requireUtf8(option, value);
    body[field] = value;
  };
  text("title", "title");
  text("agenda", "agenda");
  text("host", "host");
  text("tz", "timeZone");
  text("recording", "recording");
  for (const char* option : {"start", "end"}) {
    if (!vm.count(option)) continue;
    auto value = vm[option].as<std::string>();
    if (!signaling::scheduler::parseInstant(value, *zone, now())) {
      throw UsageError("--" + std::string(option) + ": '" + value +
                       "' is not ISO 8601 or \"YYYY-MM-DD HH:MM\"");
    }
    body[option] = value;
  }
  if (vm.count("duration")) {
    auto value = vm["duration"].as<std::string>();
    if (!signaling::scheduler::parseDuration(value)) throw UsageError("--duration: use 90m, 2h or 1h30m");
    body["duration"] = value;
  }
  if (vm.count("sites")) body["sites"] = splitList(vm["sites"].as<std::string>());
  if (vm.count("lobby")) body["lobbyMinutes"] = vm["lobby"].as<int>();
  if (vm.count("allow-overlap")) body["allowOverlap"] = true;
  if (vm.count("repeat")) {
    json rec{{"kind", vm["repeat"].as<std::string>()}};
    if (vm.count("days")) rec["days"] = splitList(vm["days"].as<std::string>());
    if (vm.count("until")) rec["until"] = vm["until"].as<std::string>();
    body["recurrence"] = rec;
  }
  return body;
}

std::string rruleOf(const json& meeting) {
  auto rec = meeting.value("recurrence", json::object());
  auto kind = rec.value("kind", "none");
  if (kind == "none") return {};
  std::string rule = "FREQ=" + std::string(kind == "daily"    ? "DAILY"
                                           : kind == "weekly" ? "WEEKLY"
                                                              : "MONTHLY");
  if (kind == "weekly") {
    std::string days;
    for (const auto& d : rec.value("days", json::array())) {
      auto name = d.get<std::string>();
      days +=
          (days.empty() ? "" : ",") + std::string{char(std::toupper(name[0])), char(std::toupper(name[1]))};
    }
    rule += ";BYDAY=" + days;
  }
  if (rec.contains("until")) {
    auto until = rec["until"].get<std::string>();
    std::string compact;
    for (char c : until) {
      if (c != '-' && c != ':') compact += c;
    }
    rule += ";UNTIL=" + compact;
  }
  return rule;
}

/// A series is written in its own zone (DTSTART;TZID=...) so that every occurrence keeps the wall time:
/// RFC 5545 section 3.3.10 repeats a UTC DTSTART in UTC, which drifts by an hour across a DST change, and a
/// floating time would be read in each reader's own zone. The VTIMEZONE covers the series' span (its until,
/// or ten years).
std::optional<IcsZone> icsZoneFor(const json& meeting, std::chrono::sys_seconds start) {
  auto zone = TimeZone::load(meeting.value("timeZone", "Asia/Ho_Chi_Minh"));
  if (!zone) return std::nullopt;  // unknown here: UTC times are still right for the first occurrence
  auto horizon = start + std::chrono::years{10};
  auto rec = meeting.value("recurrence", json::object());
  if (auto until = rec.find("until"); until != rec.end() && until->is_string()) {
    if (auto t = signaling::scheduler::parseInstant(until->get<std::string>(), TimeZone::utc(), now())) {
      horizon = std::chrono::floor<std::chrono::seconds>(*t + std::chrono::days{1});
    }
  }
  IcsZone ics;
  ics.tzid = zone->name();
  ics.offset = zone->offsetAt(start);
  for (const auto& c : zone->changesBetween(start, std::chrono::floor<std::chrono::seconds>(horizon))) {
    ics.changes.push_back({c.at, c.from, c.to});
  }
  return ics;
}

int writeInvitations(Context& ctx, const json& meeting, const json& links, const std::string& folder) {
  std::filesystem::create_directories(folder);
  auto zone = TimeZone::utc();
  json written = json::array();
  for (const auto& link : links) {
    IcsEvent event;
    event.uid = meeting["id"].get<std::string>() + "-" + link["site"].get<std::string>() + "@diemcau";
    event.summary = meeting.value("title", "");
    event.description = meeting.value("agenda", "");
    event.description += (event.description.empty() ? "" : "\n\n") + std::string("Tham gia / Join: ") +
                         link["link"].get<std::string>();
    event.location = link.value("siteName", "");
    event.url = link["link"].get<std::string>();
    event.start = *signaling::scheduler::parseInstant(meeting["start"].get<std::string>(), zone, now());
    event.end = *signaling::scheduler::parseInstant(meeting["end"].get<std::string>(), zone, now());
    event.stamp = now();
    event.rrule = rruleOf(meeting);
    if (!event.rrule.empty()) event.zone = icsZoneFor(meeting, event.start);
    auto path = std::filesystem::path(folder) /
                (meeting["id"].get<std::string>() + "-" + link["site"].get<std::string>() + ".ics");
    std::ofstream(path, std::ios::binary) << writeIcs(event);
    written.push_back({{"site", link["site"]}, {"file", path.string()}});
    if (!ctx.json) ctx.out << path.string() << '\n';
  }
  if (ctx.json) ctx.out << written.dump(2) << '\n';
  return 0;
}

}  // namespace

int meetingCommand(const std::string& sub, Context& ctx) {
  po::options_description options("meeting options");
  addMeetingOptions(options);
  po::positional_options_description positional;
  positional.add("id", 1);
  auto vm = parseOptions(ctx, options, positional);
  auto id = [&] {
    if (!vm.count("id")) throw UsageError("meeting " + sub + " needs a meeting id");
    return pathSegment(vm["id"].as<std::string>());
  };
  json result;
  if (sub == "list") {
    std::string query = vm.count("state") ? "?state=" + pathSegment(vm["state"].as<std::string>()) : "";
    result = call(ctx, "GET", "meetings" + query);
    if (!ctx.json) return printMeetings(ctx, result), 0;
  } else if (sub == "schedule") {
    auto body = meetingBody(vm);
    for (const char* required : {"title", "host", "start"}) {
      if (!body.contains(required)) throw UsageError("meeting schedule needs --" + std::string(required));
    }
    if (!body.contains("duration") && !body.contains("end"))
      throw UsageError("meeting schedule needs --duration");
    result = call(ctx, "POST", "meetings", &body);
  } else if (sub == "show") {
    result = call(ctx, "GET", "meetings/" + id());
  } else if (sub == "edit") {
    auto body = meetingBody(vm);
    if (body.empty()) throw UsageError("meeting edit needs at least one option to change");
    result = call(ctx, "PATCH", "meetings/" + id(), &body);
  } else if (sub == "cancel") {
    result = call(ctx, "POST", "meetings/" + id() + "/cancel");
  } else if (sub == "links" || sub == "ics") {
    auto links = call(ctx, "GET", "meetings/" + id() + "/links");
    if (sub == "ics")
      return writeInvitations(ctx, call(ctx, "GET", "meetings/" + id()), links, vm["out"].as<std::string>());
    if (ctx.json) return ctx.out << links.dump(2) << '\n', 0;
    Table table({"SITE", "NAME", "ROLE", "LINK"});
    for (const auto& l : links) table.add({l["site"], l["siteName"], l["role"], l["link"]});
    table.print(ctx.out);
    return 0;
  } else {
    throw UsageError("unknown subcommand 'meeting " + sub +
                     "' (schedule, list, show, edit, cancel, links, ics)");
  }
  if (ctx.json) {
    ctx.out << result.dump(2) << '\n';
  } else {
    printMeetings(ctx, json::array({result}));
  }
  return 0;
}

}  // namespace diemcau::tools::ctl
