// diemcauctl: the admin CLI. Talks to a running diemcau over /api/v1 with the admin key.
// Exit codes: 0 success, 1 the server refused or could not be reached, 2 bad usage.

#include <boost/program_options.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "signaling/tokens/SecretFile.hpp"
#include "tools/diemcauctl/Commands.hpp"

namespace ctl = diemcau::tools::ctl;
namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    R"(usage: diemcauctl [--url URL] [--key KEY | --data-dir DIR] [--ca FILE | --insecure] [--json] COMMAND ...

  site add ID --name NAME [--kind hall|commune|other] [--contact TEXT]
  site list | show ID | edit ID [--name ..] [--kind ..] [--contact ..] | remove ID
  meeting schedule --title T --host HALL --sites a,b --start "2026-12-01 08:00" --duration 90m
                   [--agenda T] [--tz ZONE] [--repeat daily|weekly|monthly --days mon,thu --until DATE]
                   [--recording none|host|all] [--lobby MIN] [--allow-overlap]
  meeting list [--state S] | show ID | edit ID [options] | cancel ID | links ID | ics ID [--out DIR]
  token issue --meeting ID --site ID [--role host|site|viewer] | revoke TOKEN|ID | rotate-key
  status
  archive list [--verify] | show ID | verify ID | export ID [-o FILE.tar]
  archive render FOLDER|ID [-o OUT.mp4|OUT.webm] [--width W --height H --fps F --kbps K]
          (a local archive folder, or an id inside --data-dir; needs no server)

Server and key: --url/--key, else DIEMCAU_URL/DIEMCAU_ADMIN_KEY, else ~/.config/diemcau/diemcauctl.conf
(url = ..., key = ... or data-dir = ..., ca = ...); --data-dir DIR reads DIR/admin.key.
https:// URLs: the server's certificate must chain to the system's CAs, or to --ca FILE (DIEMCAU_CA; for a
self-signed server its <data-dir>/tls-cert.pem), and name the URL's host; --insecure skips both checks.
Exit codes: 0 success, 1 refused by the server or unreachable, 2 bad usage. archive render exits 0 when it
wrote a video, also with damaged recordings left out (each named on stderr), and 1 when nothing could be rendered.
)";

struct Globals {
  std::string url, key, dataDir, ca;
  bool json = false, help = false, insecure = false;
  std::vector<std::string> rest;
};

Globals splitGlobals(int argc, char** argv) {
  Globals g;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto take = [&](const std::string& name, std::string& into) {
      if (arg == name) {
        if (i + 1 >= argc) throw ctl::UsageError(name + " needs a value");
        into = argv[++i];
        return true;
      }
      if (arg.rfind(name + "=", 0) == 0) {
        into = arg.substr(name.size() + 1);
        return true;
      }
      return false;
    };
    if (take("--url", g.url) || take("--key", g.key) || take("--data-dir", g.dataDir) || take("--ca", g.ca)) continue;
    if (arg == "--json") {
      g.json = true;
    } else if (arg == "--insecure") {
      g.insecure = true;
    } else if (arg == "--help" || arg == "-h") {
      g.help = true;
    } else {
      g.rest.push_back(arg);
    }
  }
  return g;
}

void fillFromEnvironmentAndConfig(Globals& g) {
  if (g.url.empty()) {
    if (const char* env = std::getenv("DIEMCAU_URL")) g.url = env;
  }
  if (g.key.empty() && g.dataDir.empty()) {
    if (const char* env = std::getenv("DIEMCAU_ADMIN_KEY")) g.key = env;
  }
  if (g.ca.empty() && !g.insecure) {
    if (const char* env = std::getenv("DIEMCAU_CA")) g.ca = env;
  }
  std::filesystem::path config;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME")) {
    config = std::filesystem::path(xdg) / "diemcau/diemcauctl.conf";
  } else if (const char* home = std::getenv("HOME")) {
    config = std::filesystem::path(home) / ".config/diemcau/diemcauctl.conf";
  }
  if (!config.empty() && std::filesystem::exists(config) &&
      (g.url.empty() || (g.key.empty() && g.dataDir.empty()) || (g.ca.empty() && !g.insecure))) {
    po::options_description file;
    file.add_options()("url", po::value<std::string>())("key", po::value<std::string>())(
        "data-dir", po::value<std::string>())("ca", po::value<std::string>());
    po::variables_map vm;
    std::ifstream in(config);
    po::store(po::parse_config_file(in, file, true), vm);
    if (g.url.empty() && vm.count("url")) g.url = vm["url"].as<std::string>();
    if (g.key.empty() && g.dataDir.empty() && vm.count("key")) g.key = vm["key"].as<std::string>();
    if (g.key.empty() && g.dataDir.empty() && vm.count("data-dir"))
      g.dataDir = vm["data-dir"].as<std::string>();
    if (g.ca.empty() && !g.insecure && vm.count("ca")) g.ca = vm["ca"].as<std::string>();
  }
  if (g.url.empty()) g.url = "http://127.0.0.1:8080";
  if (g.key.empty() && !g.dataDir.empty()) {
    auto key = diemcau::signaling::tokens::readSecretFile(std::filesystem::path(g.dataDir) / "admin.key");
    if (!key) throw ctl::UsageError("no admin.key in " + g.dataDir);
    g.key = *key;
  }
  if (g.key.empty()) throw ctl::UsageError("no admin key: use --key, --data-dir or DIEMCAU_ADMIN_KEY");
}

int run(int argc, char** argv) {
  auto g = splitGlobals(argc, argv);
  if (g.help || g.rest.empty()) {
    std::cout << kUsage;
    return g.help ? 0 : 2;
  }
  const auto command = g.rest[0];
  const bool needsSub = command != "status";
  if (needsSub && g.rest.size() < 2) throw ctl::UsageError(command + " needs a subcommand; see --help");
  if (command != "site" && command != "meeting" && command != "token" && command != "archive" &&
      command != "status") {
    throw ctl::UsageError("unknown command '" + command + "'; see --help");
  }
  if (command == "archive" && g.rest[1] == "render") {
    ctl::Context local{nullptr, g.json, {g.rest.begin() + 2, g.rest.end()}};
    local.dataDir = g.dataDir;
    return ctl::archiveRenderCommand(local);
  }
  if (!g.ca.empty() && g.insecure) throw ctl::UsageError("--ca and --insecure contradict each other: give one");
  fillFromEnvironmentAndConfig(g);
  ctl::AdminClient client(g.url, g.key, ctl::TlsOptions{g.ca, g.insecure});
  ctl::Context ctx{&client, g.json, {g.rest.begin() + (needsSub ? 2 : 1), g.rest.end()}};
  ctx.dataDir = g.dataDir;
  if (command == "status") return ctl::statusCommand(ctx);
  const auto& sub = g.rest[1];
  if (command == "site") return ctl::siteCommand(sub, ctx);
  if (command == "meeting") return ctl::meetingCommand(sub, ctx);
  if (command == "token") return ctl::tokenCommand(sub, ctx);
  return ctl::archiveCommand(sub, ctx);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const ctl::UsageError& e) {
    std::cerr << "diemcauctl: " << e.what() << "\n(see diemcauctl --help)\n";
    return 2;
  } catch (const ctl::RefusedError& e) {
    std::cerr << "diemcauctl: " << e.what() << '\n';
    return 1;
  } catch (const ctl::TransportError& e) {
    std::cerr << "diemcauctl: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "diemcauctl: " << e.what() << '\n';
    return 1;
  }
}
