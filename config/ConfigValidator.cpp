#include "config/ConfigValidator.hpp"

#include "config/ConfigError.hpp"

#include "config/ValueParsers.hpp"

#include <string>

namespace diemcau::config {

namespace {

constexpr uint64_t kMinWsMessage = 1024;
constexpr uint64_t kMaxWsMessage = 16 * 1024 * 1024;
constexpr uint64_t kMaxConnections = 100000;
constexpr uint64_t kMaxWorkers = 256;

// Reads string options and reports bad ones with their origin.
class Reader {
 public:
  Reader(const boost::program_options::variables_map& values, const ValueOrigins& origins)
      : values_(values), origins_(origins) {}

  std::string get(const std::string& name) const { return values_[name].as<std::string>(); }

  [[noreturn]] void fail(const std::string& name, const std::string& expectation) const {
    const auto origin = origins_.find(name);
    const std::string from = origin == origins_.end() ? "default" : origin->second;
    throw ConfigError(name, "invalid value '" + get(name) + "' for option '" + name + "' (from " + from +
                                "): expected " + expectation);
  }

 private:
  const boost::program_options::variables_map& values_;
  const ValueOrigins& origins_;
};

std::string derivePublicUrl(const ListenAddress& listen, bool tls) {
  return std::string(tls ? "https://" : "http://") + listen.toString() + "/";
}

void readTls(const Reader& reader, ServerConfig& config) {
  const auto selfSigned = parseBoolean(reader.get("tls-self-signed"));
  if (!selfSigned) reader.fail("tls-self-signed", "true or false");
  config.tlsSelfSigned = *selfSigned;
  const std::string cert = reader.get("tls-cert");
  const std::string key = reader.get("tls-key");
  if (cert.empty() != key.empty()) {
    const std::string missing = cert.empty() ? "tls-cert" : "tls-key";
    throw ConfigError(missing, "option '" + missing + "' is missing: tls-cert and tls-key go together");
  }
  if (!cert.empty() && config.tlsSelfSigned) reader.fail("tls-self-signed", "false when tls-cert is given");
  if (!cert.empty()) {
    config.tlsCert = cert;
    config.tlsKey = key;
  }
}

// Runs after media-ports and workers: the lite ports are one per worker.
void readIceLite(const Reader& reader, ServerConfig& config) {
  const auto lite = parseBoolean(reader.get("media-ice-lite"));
  if (!lite) reader.fail("media-ice-lite", "true or false");
  config.mediaIceLite = *lite;
  const auto port = parseBoundedInteger(reader.get("media-ice-lite-port"), 0, 65535);
  if (!port || (*port != 0 && *port < 1024)) reader.fail("media-ice-lite-port", "0 (ephemeral) or a port from 1024 to 65535");
  config.mediaIceLitePort = static_cast<uint16_t>(*port);
  if (*port == 0) return;
  const uint64_t last = *port + config.workers - 1;
  if (last > 65535) {
    reader.fail("media-ice-lite-port", "a port that leaves room for one port per worker (" +
                                           std::to_string(config.workers) + " workers: at most " +
                                           std::to_string(65536 - config.workers) + ")");
  }
  // Only lite mode binds these ports. media-ports stays the range a firewall opens for libnice's
  // sockets (full ICE, and any other process given that range): a lite port inside it is a mistake
  // best named here rather than met as a bind failure, or a port stolen, at run time.
  if (config.mediaIceLite && *port <= config.mediaPorts.last && last >= config.mediaPorts.first) {
    reader.fail("media-ice-lite-port", "ports outside media-ports " + std::to_string(config.mediaPorts.first) + "-" +
                                           std::to_string(config.mediaPorts.last) + " (the lite ports are " +
                                           std::to_string(*port) + "-" + std::to_string(last) +
                                           ", one per worker; move one of the two)");
  }
}

void readMedia(const Reader& reader, ServerConfig& config) {
  config.mediaAddresses = splitList(reader.get("media-addresses"));
  if (config.mediaAddresses.empty()) reader.fail("media-addresses", "at least one IP address");
  for (const auto& address : config.mediaAddresses) {
    if (!isIpAddress(address)) reader.fail("media-addresses", "a comma-separated list of IP addresses");
  }
  config.mediaAnnouncedAddress = reader.get("media-announced-address");
  if (!config.mediaAnnouncedAddress.empty() && !isIpAddress(config.mediaAnnouncedAddress)) {
    reader.fail("media-announced-address", "an IP address");
  }
  const auto ports = parsePortRange(reader.get("media-ports"));
  if (!ports) reader.fail("media-ports", "a range FIRST-LAST within 1024-65535");
  config.mediaPorts = *ports;
  const auto workers = parseBoundedInteger(reader.get("workers"), 1, kMaxWorkers);
  if (!workers) reader.fail("workers", "an integer from 1 to 256");
  config.workers = static_cast<unsigned>(*workers);
  readIceLite(reader, config);
}

void readLimits(const Reader& reader, ServerConfig& config) {
  const auto wsMax = parseBoundedInteger(reader.get("ws-max-message"), kMinWsMessage, kMaxWsMessage);
  if (!wsMax) reader.fail("ws-max-message", "a byte count from 1024 to 16777216");
  config.wsMaxMessage = *wsMax;
  const auto connections = parseBoundedInteger(reader.get("max-connections"), 1, kMaxConnections);
  if (!connections) reader.fail("max-connections", "an integer from 1 to 100000");
  config.maxConnections = *connections;
  const auto maxSites = parseBoundedInteger(reader.get("meeting-max-sites"), 1, 10000);
  if (!maxSites) reader.fail("meeting-max-sites", "an integer from 1 to 10000");
  config.meetingMaxSites = static_cast<std::size_t>(*maxSites);
  const auto audioLastN = parseBoundedInteger(reader.get("audio-last-n"), 0, 64);
  if (!audioLastN) reader.fail("audio-last-n", "an integer from 0 to 64");
  config.audioLastN = static_cast<unsigned>(*audioLastN);
  const auto videoLastN = parseBoundedInteger(reader.get("video-last-n"), 0, 16);
  if (!videoLastN) reader.fail("video-last-n", "an integer from 0 to 16");
  config.videoLastN = static_cast<unsigned>(*videoLastN);
  const auto resume = parseBoundedInteger(reader.get("resume-window"), 0, 600);
  if (!resume) reader.fail("resume-window", "a number of seconds from 0 to 600");
  config.resumeWindowSeconds = static_cast<unsigned>(*resume);
  const auto consent = parseBoundedInteger(reader.get("ice-consent-timeout"), 2, 60);
  if (!consent) reader.fail("ice-consent-timeout", "a number of seconds from 2 to 60");
  config.iceConsentTimeoutSeconds = static_cast<unsigned>(*consent);
}

}  // namespace

ServerConfig validateConfig(const boost::program_options::variables_map& values, const ValueOrigins& origins) {
  const Reader reader(values, origins);
  ServerConfig config;
  if (const std::string file = reader.get("config"); !file.empty()) config.configFile = file;

  const auto listen = parseListenAddress(reader.get("listen"));
  if (!listen) reader.fail("listen", "ADDR:PORT with an IP address, IPv6 in brackets ([::1]:8080)");
  config.listen = *listen;
  readTls(reader, config);
  const auto demo = parseBoolean(reader.get("demo"));
  if (!demo) reader.fail("demo", "true or false");
  config.demo = *demo;
  const auto nack = parseBoolean(reader.get("nack"));
  if (!nack) reader.fail("nack", "true or false");
  config.nack = *nack;

  config.publicUrl = reader.get("public-url");
  if (config.publicUrl.empty()) {
    config.publicUrl = derivePublicUrl(config.listen, config.tlsEnabled());
  } else if (!config.publicUrl.starts_with("http://") && !config.publicUrl.starts_with("https://")) {
    reader.fail("public-url", "an http:// or https:// URL");
  } else if (!config.publicUrl.ends_with("/")) {
    config.publicUrl += "/";
  }

  config.dataDir = reader.get("data-dir");
  if (config.dataDir.empty()) reader.fail("data-dir", "a directory path");
  readMedia(reader, config);

  config.logLevel = reader.get("log-level");
  if (!isLogLevel(config.logLevel)) reader.fail("log-level", "trace, debug, info, warn, error, critical or off");
  config.staticDir = reader.get("static-dir");
  if (config.staticDir.empty()) reader.fail("static-dir", "a directory path");
  readLimits(reader, config);

  const std::string adminKey = reader.get("admin-key-file");
  config.adminKeyFile = adminKey.empty() ? config.dataDir / "admin.key" : std::filesystem::path(adminKey);
  return config;
}

}  // namespace diemcau::config
