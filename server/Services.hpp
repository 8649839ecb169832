#pragma once

#include "config/ServerConfig.hpp"
#include "media/worker/WorkerPool.hpp"
#include "signaling/http/HttpServer.hpp"
#include "signaling/protocol/Dispatcher.hpp"

namespace diemcau::server {

/// The one place where features attach themselves: /ws services on the dispatcher (echo, join
/// protocol) and HTTP routes on the server (admin API under /api/v1, WHIP/WHEP, /metrics).
/// Called once before the server starts accepting.
void registerServices(const config::ServerConfig& config, media::WorkerPool& workers,
                      signaling::protocol::Dispatcher& dispatcher, signaling::http::HttpServer& http);

}  // namespace diemcau::server
