#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>

#include "config/ServerConfig.hpp"
#include "media/transport/MediaEngine.hpp"
#include "signaling/http/HttpServer.hpp"
#include "signaling/protocol/Dispatcher.hpp"

namespace diemcau::server {

/// What a feature may use when it attaches itself. Everything here outlives the services.
struct ServiceContext {
  const config::ServerConfig& config;
  boost::asio::io_context& io;      // the signaling thread
  media::MediaEngine& media;        // workers, DTLS contexts, ICE settings
  signaling::protocol::Dispatcher& dispatcher;
  signaling::http::HttpServer& http;
};

/// What the features own outside the dispatcher (the store, the token keys, the meeting clock). The
/// server starts it once it listens, stops it when it shuts down, and destroys it after the dispatcher,
/// whose services use it.
class Features {
 public:
  virtual ~Features() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
};

/// The one place where features attach themselves: /ws services on the dispatcher (echo, join
/// protocol) and HTTP routes on the server (admin API under /api/v1, WHIP/WHEP, /metrics).
/// Called once before the server starts accepting.
std::unique_ptr<Features> registerServices(const ServiceContext& context);

}  // namespace diemcau::server
