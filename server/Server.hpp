#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <memory>
#include <string>

#include "config/ServerConfig.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/transport/MediaEngine.hpp"
#include "media/worker/WorkerPool.hpp"
#include "server/Services.hpp"
#include "signaling/http/HttpServer.hpp"
#include "signaling/protocol/Dispatcher.hpp"

namespace diemcau::server {

/// The diemcau process: media workers, the signaling io_context (HTTP, WebSocket, admin API) and the
/// services on /ws. Construct, run() on the main thread until SIGINT/SIGTERM, destroy.
///
///   main thread (signaling io_context) ── posts ──▶ media workers (one GMainContext each)
class Server {
 public:
  /// Creates the data directory (mode 0700), the TLS material and the workers. Throws on failure.
  explicit Server(const config::ServerConfig& config);
  ~Server();

  /// Binds, prints the URL, and serves until a signal arrives; then closes connections and stops workers.
  void run();

  /// The URL the server answers on (the actual port when listen asked for port 0).
  std::string listeningUrl() const;

 private:
  void shutdown();

  const config::ServerConfig& config_;
  // Declaration order is destruction order in reverse: the io_context outlives everything that
  // posts to it, and the dispatcher outlives the connections that report to it.
  boost::asio::io_context io_;
  media::SrtpLibrary srtp_;
  std::unique_ptr<media::WorkerPool> workers_;
  std::unique_ptr<media::MediaEngine> media_;
  std::unique_ptr<Features> features_;  // the dispatcher's services use it: reset after the dispatcher
  signaling::protocol::Dispatcher dispatcher_;
  std::unique_ptr<signaling::http::HttpServer> http_;
  boost::asio::signal_set signals_;
};

}  // namespace diemcau::server
