// diemcauctl archive list | show | verify | export | render.
#include <cstdio>

#include "tools/diemcauctl/Commands.hpp"
#include "tools/diemcauctl/Table.hpp"

namespace diemcau::tools::ctl {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

std::string humanBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

std::string humanDuration(const json& ms) {
  if (!ms.is_number()) return "-";
  const int64_t seconds = ms.get<int64_t>() / 1000;
  char text[32];
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return text;
}

/// "2026-12-01T01:00:00.000Z" as "2026-12-01 01:00Z".
std::string shortTime(const json& at) {
  if (!at.is_string() || at.get<std::string>().size() < 16) return "-";
  std::string text = at.get<std::string>().substr(0, 16) + "Z";
  text[10] = ' ';
  return text;
}

std::string yesNo(const json& flag) { return flag.is_boolean() ? (flag.get<bool>() ? "yes" : "NO") : "-"; }

std::string requireId(const po::variables_map& vm, const std::string& sub) {
  if (!vm.count("id")) throw UsageError("archive " + sub + " needs a meeting id");
  return vm["id"].as<std::string>();
}

int list(Context& ctx, bool verify) {
  const json result = call(ctx, "GET", verify ? "archives?verify=true" : "archives");
  if (ctx.json) return ctx.out << result.dump(2) << '\n', 0;
  if (result.empty()) return ctx.out << "no archived meeting\n", 0;
  Table table({"MEETING", "TITLE", "STARTED (UTC)", "DURATION", "SIZE", "FILES", "STATE", "VERIFIED"});
  for (const auto& a : result) {
    table.add({a.value("id", ""), a.value("title", ""), shortTime(a["started"]), humanDuration(a["durationMs"]),
               humanBytes(a.value("sizeBytes", uint64_t{0})), std::to_string(a.value("files", 0)),
               a.value("state", ""), yesNo(a["verified"])});
  }
  table.print(ctx.out);
  return 0;
}

int show(Context& ctx, const std::string& id) {
  const json result = call(ctx, "GET", "archives/" + pathSegment(id));
  if (ctx.json) return ctx.out << result.dump(2) << '\n', 0;
  ctx.out << result.value("id", "") << "  " << result.value("title", "") << '\n'
          << "  started " << shortTime(result["started"]) << ", duration " << humanDuration(result["durationMs"])
          << ", " << result.value("state", "") << ", verified " << yesNo(result["verified"]) << '\n';
  const json& minutes = result["minutes"];
  if (minutes.is_object()) {
    ctx.out << "  host " << minutes["host"].value("displayName", "") << ", end: " << minutes.value("endReason", "")
            << (minutes.value("interrupted", false) ? " (interrupted)" : "") << '\n';
    Table sites({"  SITE", "NAME", "PRESENT", "SPEAKING", "HANDS", "LOSSES"});
    for (const auto& s : minutes["sites"]) {
      sites.add({"  " + s.value("id", ""), s.value("displayName", ""),
                 s.value("absent", false) ? "absent" : humanDuration(s["presentMs"]), humanDuration(s["speakingMs"]),
                 std::to_string(s.value("handRaises", 0)), std::to_string(s.value("connectionLosses", 0))});
    }
    sites.print(ctx.out);
  } else {
    ctx.out << "  no minutes yet (the meeting is live, or the server stopped before closing it)\n";
  }
  Table files({"  FILE", "KIND", "SIZE", "DURATION", "PARTICIPANT"});
  for (const auto& f : result["files"]) {
    files.add({"  " + f.value("name", ""), f.value("kind", ""), humanBytes(f.value("sizeBytes", uint64_t{0})),
               f.contains("durationMs") ? humanDuration(f["durationMs"]) : "", f.value("participant", "")});
  }
  files.print(ctx.out);
  return 0;
}

int verify(Context& ctx, const std::string& id) {
  const json result = call(ctx, "POST", "archives/" + pathSegment(id) + "/verify");
  const bool ok = result.value("ok", false);
  if (ctx.json) {
    ctx.out << result.dump(2) << '\n';
    return ok ? 0 : 1;
  }
  if (!result.value("sumsPresent", false)) {
    ctx.out << id << ": no SHA256SUMS (the meeting has not been closed)\n";
    return 1;
  }
  for (const auto& name : result["changed"]) ctx.out << "CHANGED   " << name.get<std::string>() << '\n';
  for (const auto& name : result["missing"]) ctx.out << "MISSING   " << name.get<std::string>() << '\n';
  for (const auto& name : result["unlisted"]) ctx.out << "UNLISTED  " << name.get<std::string>() << '\n';
  if (ok) {
    ctx.out << id << ": ok, " << result.value("checked", 0) << " files match SHA256SUMS\n";
  } else {
    ctx.out << id << ": FAILED verification\n";
  }
  return ok ? 0 : 1;
}

int exportTar(Context& ctx, const std::string& id, std::string file) {
  if (file.empty()) file = id + ".tar";
  const ApiReply reply = ctx.client->download("archives/" + pathSegment(id) + "/export", file);
  if (!reply.ok()) {
    std::string message = "server refused (" + std::to_string(reply.status) + ")";
    if (reply.body.is_object() && reply.body.contains("error")) message = reply.body["error"].value("message", message);
    throw RefusedError(message);
  }
  const json result = {{"id", id}, {"file", file}, {"bytes", reply.body["bytes"]}};
  if (ctx.json) return ctx.out << result.dump(2) << '\n', 0;
  ctx.out << "wrote " << file << " (" << humanBytes(reply.body.value("bytes", uint64_t{0})) << ")\n";
  return 0;
}

}  // namespace

int archiveCommand(const std::string& sub, Context& ctx) {
  if (sub == "render") return archiveRenderCommand(ctx);
  po::options_description options("archive options");
  options.add_options()("id", po::value<std::string>(), "meeting id")(
      "output,o", po::value<std::string>()->default_value(""), "export: the tar file to write")(
      "verify", po::bool_switch(), "list: verify every closed archive now (reads every file)");
  po::positional_options_description positional;
  positional.add("id", 1);
  auto vm = parseOptions(ctx, options, positional);
  if (sub == "list") return list(ctx, vm["verify"].as<bool>());
  if (sub == "show") return show(ctx, requireId(vm, sub));
  if (sub == "verify") return verify(ctx, requireId(vm, sub));
  if (sub == "export") return exportTar(ctx, requireId(vm, sub), vm["output"].as<std::string>());
  throw UsageError("unknown subcommand 'archive " + sub + "' (list, show, verify, export, render)");
}

}  // namespace diemcau::tools::ctl
