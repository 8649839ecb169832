// A real HTTP server on loopback with the admin API mounted, for the CLI and restart tests:
//   admin_test_server DATA_DIR [--demo]
// Prints "port N" once listening, then serves until killed.

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <cstring>

#include "signaling/admin/AdminRoutes.hpp"
#include "signaling/admin/AdminService.hpp"
#include "signaling/http/HttpServer.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: admin_test_server DATA_DIR [--demo]\n");
    return 2;
  }
  boost::asio::io_context io;
  diemcau::signaling::protocol::Dispatcher dispatcher;
  diemcau::signaling::http::HttpServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  diemcau::signaling::http::HttpServer server(io, options, dispatcher);
  diemcau::signaling::admin::AdminServiceOptions adminOptions;
  adminOptions.dataDir = argv[1];
  adminOptions.demo = argc > 2 && std::strcmp(argv[2], "--demo") == 0;
  diemcau::signaling::admin::AdminService admin(io, adminOptions);
  diemcau::signaling::admin::registerAdminApi(server, admin.api());
  server.start();
  admin.start();
  std::printf("port %u\n", static_cast<unsigned>(server.localEndpoint().port()));
  std::fflush(stdout);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) {
    admin.stop();
    server.stop();
  });
  io.run();
  return 0;
}
