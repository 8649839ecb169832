#pragma once

#include <boost/asio/io_context.hpp>

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

/// The one place where features attach themselves: /ws services on the dispatcher (echo, join
/// protocol) and HTTP routes on the server (admin API under /api/v1, WHIP/WHEP, /metrics).
/// Called once before the server starts accepting.
void registerServices(const ServiceContext& context);

}  // namespace diemcau::server
