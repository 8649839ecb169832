#include "config/OptionTable.hpp"

#include <algorithm>
#include <boost/program_options/value_semantic.hpp>
#include <cctype>

namespace diemcau::config {

namespace po = boost::program_options;

namespace {

constexpr std::string_view kEnvironmentPrefix = "DIEMCAU_";

po::typed_value<std::string>* text(const std::string& value) { return po::value<std::string>()->default_value(value); }

po::typed_value<std::string>* derived(const std::string& description) {
  return po::value<std::string>()->default_value(std::string(), description);
}

}  // namespace

po::options_description makeOptionTable(const MachineDefaults& defaults) {
  po::options_description table("Options (flag --name, environment DIEMCAU_NAME, config file 'name = value')");
  // clang-format off
  table.add_options()
    ("config", derived("none"), "INI-style config file ('key = value' lines, '#' comments)")
    ("listen", text("127.0.0.1:8080"), "HTTP(S) listen address ADDR:PORT, IPv6 as [::1]:8080")
    ("public-url", derived("derived from listen"), "base URL used in join links, e.g. https://hall.example.vn/")
    ("data-dir", text("./diemcau-data"), "data directory (database, keys, archives); created with mode 0700")
    ("tls-cert", derived("none"), "PEM certificate chain for HTTPS/WSS (requires tls-key)")
    ("tls-key", derived("none"), "PEM private key for HTTPS/WSS (requires tls-cert)")
    ("tls-self-signed", po::value<std::string>()->default_value("false")->implicit_value("true"),
       "serve HTTPS with a self-signed certificate generated into data-dir (for a LAN)")
    ("demo", po::value<std::string>()->default_value("false")->implicit_value("true"),
       "on first start (empty store), seed a demo district: a hall, eight communes and a meeting starting now")
    ("media-addresses", text("127.0.0.1"), "comma-separated local IP addresses ICE gathers candidates on")
    ("media-announced-address", derived("none"), "public IP announced in candidates (behind 1:1 NAT)")
    ("media-ports", text("40000-40999"), "UDP/TCP port range for media, FIRST-LAST")
    ("media-ice-lite", text("true"),
       "ICE-lite on one UDP port per media worker (true); false: full ICE with a libnice agent and "
       "socket per connection in media-ports")
    ("media-ice-lite-port", text("10000"),
       "first ICE-lite UDP port: worker i listens on PORT+i (0 = ephemeral); must not overlap media-ports")
    ("nack", text("true"), "retransmission: answer NACKs from a packet history and NACK publishers (true/false)")
    ("workers", text(std::to_string(defaults.workers)), "media worker threads, 1..256 (default: CPU cores)")
    ("log-level", text("info"), "trace, debug, info, warn, error, critical or off")
    ("static-dir", text(defaults.staticDir), "directory of the browser client served at /")
    ("ws-max-message", text("2097152"), "largest WebSocket message accepted, in bytes (1024..16777216)")
    ("max-connections", text("1024"), "simultaneous HTTP/WebSocket connections (1..100000)")
    ("meeting-max-sites", text("500"), "most sites one meeting may invite (1..10000; keep max-connections above it)")
    ("audio-last-n", text("3"),
       "audio last-N: in larger meetings forward only the K loudest speakers besides hosts and floor (0..64; 0 = all)")
    ("video-last-n", text("2"),
       "last-N video: sites also see the N most recent dominant speakers (0..16; 0 = off)")
    ("resume-window", text("30"),
       "seconds a site whose link dropped keeps its seat and state for it to come back (0..600; 0 = leave at once)")
    ("ice-consent-timeout", text("10"),
       "seconds without authenticated traffic (valid ICE checks, SRTP/SRTCP) on a media connection before the "
       "bridge counts it as lost (2..60)")
    ("admin-key-file", derived("<data-dir>/admin.key"), "file holding the admin API bearer key");
  // clang-format on
  return table;
}

po::options_description makeCommandLineOnlyTable() {
  po::options_description table("Command line only");
  table.add_options()("help,h", "print this help and exit")("version", "print the version and exit");
  return table;
}

std::string optionNameFromEnvironment(const std::string& variable) {
  if (variable.size() <= kEnvironmentPrefix.size() || variable.compare(0, kEnvironmentPrefix.size(), kEnvironmentPrefix) != 0) {
    return {};
  }
  std::string name = variable.substr(kEnvironmentPrefix.size());
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return c == '_' ? '-' : static_cast<char>(std::tolower(c));
  });
  return name;
}

std::string environmentNameFromOption(const std::string& option) {
  std::string name(kEnvironmentPrefix);
  for (const unsigned char c : option) name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return name;
}

}  // namespace diemcau::config
