#include "tools/diemcauctl/Commands.hpp"
#include "tools/diemcauctl/Table.hpp"

namespace diemcau::tools::ctl {

namespace po = boost::program_options;
using nlohmann::json;

namespace {

void printSites(const Context& ctx, const json& sites) {
  Table table({"ID", "NAME", "KIND", "CONTACT"});
  for (const auto& s : sites)
    table.add({s.value("id", ""), s.value("name", ""), s.value("kind", ""), s.value("contact", "")});
  table.print(ctx.out);
}

// Options shared by add and edit; only those given go into the body.
json siteBody(const po::variables_map& vm) {
  json body = json::object();
  for (const char* field : {"name", "kind", "contact"}) {
    if (vm.count(field)) {
      auto value = vm[field].as<std::string>();
      requireUtf8(field, value);
      body[field] = value;
    }
  }
  return body;
}

}  // namespace

int siteCommand(const std::string& sub, Context& ctx) {
  po::options_description options("site options");
  options.add_options()("id", po::value<std::string>(), "site slug, e.g. lang-can")(
      "name", po::value<std::string>(), "display name, e.g. \"Xã Lăng Can\"")(
      "kind", po::value<std::string>(), "hall | commune | other")("contact", po::value<std::string>(),
                                                                  "contact");
  po::positional_options_description positional;
  positional.add("id", 1);
  auto vm = parseOptions(ctx, options, positional);
  auto id = [&] {
    if (!vm.count("id")) throw UsageError("site " + sub + " needs a site id");
    return vm["id"].as<std::string>();
  };
  json result;
  if (sub == "list") {
    result = call(ctx, "GET", "sites");
    if (!ctx.json) return printSites(ctx, result), 0;
  } else if (sub == "add") {
    auto body = siteBody(vm);
    body["id"] = id();
    if (!body.contains("name")) throw UsageError("site add needs --name");
    result = call(ctx, "POST", "sites", &body);
  } else if (sub == "show") {
    result = call(ctx, "GET", "sites/" + pathSegment(id()));
  } else if (sub == "edit") {
    auto body = siteBody(vm);
    if (body.empty()) throw UsageError("site edit needs --name, --kind or --contact");
    result = call(ctx, "PATCH", "sites/" + pathSegment(id()), &body);
  } else if (sub == "remove") {
    call(ctx, "DELETE", "sites/" + pathSegment(id()));
    result = json{{"removed", id()}};
    if (!ctx.json) return ctx.out << "removed site " << id() << '\n', 0;
  } else {
    throw UsageError("unknown subcommand 'site " + sub + "' (add, list, show, edit, remove)");
  }
  if (ctx.json) {
    ctx.out << result.dump(2) << '\n';
  } else {
    printSites(ctx, json::array({result}));
  }
  return 0;
}

}  // namespace diemcau::tools::ctl
