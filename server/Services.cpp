#include "server/Services.hpp"

namespace diemcau::server {

void registerServices(const config::ServerConfig& /*config*/, media::WorkerPool& /*workers*/,
                      signaling::protocol::Dispatcher& /*dispatcher*/, signaling::http::HttpServer& /*http*/) {
  // Each feature adds one line here, e.g.
  //   dispatcher.registerService(std::make_shared<echo::EchoService>(workers, config));
  //   admin::registerAdminApi(http, store, adminKey);
  // ping is built into the dispatcher and /healthz into the HTTP server.
}

}  // namespace diemcau::server
