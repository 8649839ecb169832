#include "server/Server.hpp"

#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "server/DataDirectory.hpp"
#include "server/Services.hpp"
#include "signaling/http/TlsContext.hpp"

namespace diemcau::server {

namespace {

signaling::http::HttpServerOptions httpOptions(const config::ServerConfig& config) {
  signaling::http::HttpServerOptions options;
  options.address = config.listen.host;
  options.port = config.listen.port;
  options.staticDir = config.staticDir;
  options.maxConnections = config.maxConnections;
  options.limits.wsMaxMessage = config.wsMaxMessage;
  if (config.tlsCert) {
    options.tls = signaling::http::makeServerTlsContext({*config.tlsCert, *config.tlsKey});
  } else if (config.tlsSelfSigned) {
    std::vector<std::string> hosts = config.mediaAddresses;
    if (config.listen.host != "0.0.0.0" && config.listen.host != "::") hosts.push_back(config.listen.host);
    options.tls = signaling::http::makeServerTlsContext(
        signaling::http::ensureSelfSignedCertificate(config.dataDir, hosts));
  }
  return options;
}

media::IceConfig iceConfig(const config::ServerConfig& config) {
  media::IceConfig ice;
  ice.localAddresses = config.mediaAddresses;
  ice.portMin = config.mediaPorts.first;
  ice.portMax = config.mediaPorts.last;
  if (!config.mediaAnnouncedAddress.empty()) ice.announcedAddress = config.mediaAnnouncedAddress;
  ice.consentTimeout = std::chrono::seconds(config.iceConsentTimeoutSeconds);
  ice.lite = config.mediaIceLite;
  ice.litePort = config.mediaIceLitePort;
  return ice;
}

}  // namespace

Server::Server(const config::ServerConfig& config) : config_(config), signals_(io_, SIGINT, SIGTERM) {
  ensureDataDirectory(config_.dataDir);
  workers_ = std::make_unique<media::WorkerPool>(config_.workers);
  media_ = std::make_unique<media::MediaEngine>(*workers_, iceConfig(config_), media::DtlsCertificate::generate(),
                                                config_.nack);
  http_ = std::make_unique<signaling::http::HttpServer>(io_, httpOptions(config_), dispatcher_);
  features_ = registerServices({config_, io_, *media_, dispatcher_, *http_});
}

Server::~Server() {
  // Connections report their close to services, which may post to workers: stop HTTP first.
  http_.reset();
  dispatcher_ = signaling::protocol::Dispatcher();
  // The rooms' deletions are now queued on the workers; the ICE-lite sockets go after them, on their
  // own workers, which must still be running.
  media_->closeUdpMuxes();
  workers_.reset();
  media_.reset();
}

std::string Server::listeningUrl() const {
  const auto endpoint = http_->localEndpoint();
  const std::string host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                      : endpoint.address().to_string();
  return std::string(http_->tls() ? "https://" : "http://") + host + ":" + std::to_string(endpoint.port()) + "/";
}

namespace {

// Media first. This thread runs signaling, the admin API and the meetings' periodic rounds (the 2 s
// link-quality event to every site, statistics); the media workers keep the default priority. On a
// core they share, this thread then gets about a tenth of the time a busy worker wants (nice 10:
// weight 110 against 1024) instead of half, so a fan-out is held up behind a quality round far less
// often; each of its turns can still last up to a scheduler tick (docs/ARCHITECTURE.md, "Threads").
// Threads it starts later inherit the value. Lowering one's own priority needs no privilege.
constexpr int kSignalingNice = 10;

void lowerSignalingPriority() {
  if (::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kSignalingNice) != 0) {
    spdlog::warn("signaling thread: setpriority(nice {}) failed: {}", kSignalingNice, std::strerror(errno));
  }
}

}  // namespace

void Server::run() {
  lowerSignalingPriority();
  http_->start();
  features_->start();
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signal);
    shutdown();
  });
  std::printf("diemcau listening on %s\n", listeningUrl().c_str());
  std::fflush(stdout);
  spdlog::info("{} media workers, static files from {}, join links use {}", workers_->size(),
               config_.staticDir.string(), config_.publicUrl);
  io_.run();
  spdlog::info("signaling stopped");
}

void Server::shutdown() {
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  features_->stop();
  http_->stop();
  // Connections finish their close handshakes; run() returns when no work is left. A peer that does
  // not answer its close is cut off by the websocket timeout.
}

}  // namespace diemcau::server
