#include "server/Services.hpp"

#include "signaling/echo/EchoService.hpp"

namespace diemcau::server {

void registerServices(const ServiceContext& context) {
  // ping is built into the dispatcher and /healthz into the HTTP server.
  context.dispatcher.registerService(std::make_shared<signaling::echo::EchoService>(context.io, context.media));
}

}  // namespace diemcau::server
