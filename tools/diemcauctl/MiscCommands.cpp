#include "tools/diemcauctl/Commands.hpp"
#include "tools/diemcauctl/Table.hpp"

namespace diemcau::tools::ctl {

namespace po = boost::program_options;
using nlohmann::json;

int tokenCommand(const std::string& sub, Context& ctx) {
  po::options_description options("token options");
  options.add_options()("meeting", po::value<std::string>(), "meeting id")(
      "site", po::value<std::string>(), "site id")("role", po::value<std::string>(), "host | site | viewer")(
      "from", po::value<std::string>(), "valid from")("until", po::value<std::string>(), "valid until")(
      "token", po::value<std::string>(), "token or token id");
  po::positional_options_description positional;
  positional.add("token", 1);
  auto vm = parseOptions(ctx, options, positional);
  json result;
  if (sub == "issue") {
    if (!vm.count("meeting") || !vm.count("site")) throw UsageError("token issue needs --meeting and --site");
    json body{{"meeting", vm["meeting"].as<std::string>()}, {"site", vm["site"].as<std::string>()}};
    if (vm.count("role")) body["role"] = vm["role"].as<std::string>();
    if (vm.count("from")) body["validFrom"] = vm["from"].as<std::string>();
    if (vm.count("until")) body["validUntil"] = vm["until"].as<std::string>();
    result = call(ctx, "POST", "tokens", &body);
    if (!ctx.json) return ctx.out << result["link"].get<std::string>() << '\n', 0;
  } else if (sub == "revoke") {
    if (!vm.count("token")) throw UsageError("token revoke needs a token or token id");
    auto token = vm["token"].as<std::string>();
    json body = token.find('.') != std::string::npos ? json{{"token", token}} : json{{"tokenId", token}};
    result = call(ctx, "POST", "tokens/revoke", &body);
    if (!ctx.json) return ctx.out << "revoked " << result["revoked"].get<std::string>() << '\n', 0;
  } else if (sub == "rotate-key") {
    result = call(ctx, "POST", "keys/rotate");
    if (!ctx.json) return ctx.out << "signing key is now " << result["keyId"].get<std::string>() << '\n', 0;
  } else {
    throw UsageError("unknown subcommand 'token " + sub + "' (issue, revoke, rotate-key)");
  }
  ctx.out << result.dump(2) << '\n';
  return 0;
}

int statusCommand(Context& ctx) {
  auto result = call(ctx, "GET", "status");
  if (ctx.json) return ctx.out << result.dump(2) << '\n', 0;
  const auto& meetings = result["meetings"];
  if (meetings.empty()) return ctx.out << "no meeting is open or live\n", 0;
  for (const auto& m : meetings) {
    const auto& live = m["live"];
    ctx.out << m.value("id", "") << "  " << m.value("state", "") << "  " << m.value("title", "") << '\n';
    if (live.is_object() && live.contains("floor")) ctx.out << "  floor: " << live["floor"].dump() << '\n';
    Table table({"  SITE", "NAME", "ROLE", "CONNECTED", "QUALITY"});
    for (const auto& s : m["siteDetails"]) {
      std::string connected = "-", quality = "-";
      if (live.is_object()) {
        for (const auto& l : live.value("sites", json::array())) {
          if (l.value("id", "") != s.value("id", "")) continue;
          connected = l.value("reconnecting", false) ? "reconnecting" : l.value("connected", false) ? "yes" : "no";
          quality = l.value("quality", "-");
        }
      }
      table.add({"  " + s.value("id", ""), s.value("name", ""), s.value("role", ""), connected, quality});
    }
    table.print(ctx.out);
  }
  return 0;
}

}  // namespace diemcau::tools::ctl
