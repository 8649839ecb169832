#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "signaling/http/HttpTypes.hpp"
#include "signaling/http/ServerContext.hpp"
#include "signaling/protocol/Dispatcher.hpp"

namespace diemcau::signaling::http {

struct HttpServerOptions {
  /// IP literal to bind; nothing else is listened on.
  std::string address = "127.0.0.1";
  /// 0 picks a free port (tests); localEndpoint() tells which.
  uint16_t port = 8080;
  std::filesystem::path staticDir;
  std::size_t maxConnections = 1024;
  ConnectionLimits limits;
  /// HTTPS/WSS when set (see makeServerTlsContext).
  std::shared_ptr<boost::asio::ssl::context> tls;
};

/// The HTTP(S)/WebSocket server of the signaling thread: /healthz, registered routes (the admin API),
/// the browser client, and /ws handed to the dispatcher. Everything runs on the given io_context.
class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, protocol::Dispatcher& dispatcher);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Adds a route; call before start(). See Router::addRoute.
  void addRoute(beast_http::verb method, std::string pathPrefix, HttpHandler handler);
  /// Adds a route that may stream its body; call before start(). See Router::addStreamRoute.
  void addStreamRoute(beast_http::verb method, std::string pathPrefix, StreamHandler handler);

  /// Binds and starts accepting. Throws boost::system::system_error when the address cannot be bound.
  void start();
  /// Stops accepting and asks every connection to close; the io_context then runs out of work.
  void stop();

  boost::asio::ip::tcp::endpoint localEndpoint() const;
  std::size_t connectionCount() const { return context_->registry.size(); }
  bool tls() const { return options_.tls != nullptr; }

 private:
  void acceptNext();
  void onAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  HttpServerOptions options_;
  std::shared_ptr<ServerContext> context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  bool stopped_ = false;
};

}  // namespace diemcau::signaling::http
