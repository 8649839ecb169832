#include "signaling/http/HttpServer.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/v6_only.hpp>

#include "signaling/http/HttpSession.hpp"

namespace diemcau::signaling::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, protocol::Dispatcher& dispatcher)
    : io_(io),
      options_(std::move(options)),
      context_(std::make_shared<ServerContext>(Router(options_.staticDir), dispatcher, options_.limits,
                                               options_.tls != nullptr)),
      acceptor_(io) {
  context_->router.setConnectionCount([context = context_.get()] { return context->registry.size(); });
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::addRoute(beast_http::verb method, std::string pathPrefix, HttpHandler handler) {
  context_->router.addRoute(method, std::move(pathPrefix), std::move(handler));
}

void HttpServer::addStreamRoute(beast_http::verb method, std::string pathPrefix, StreamHandler handler) {
  context_->router.addStreamRoute(method, std::move(pathPrefix), std::move(handler));
}

void HttpServer::start() {
  const tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  if (endpoint.address().is_v6()) acceptor_.set_option(asio::ip::v6_only(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  stopped_ = false;
  acceptNext();
}

void HttpServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
  context_->registry.shutdownAll();
}

tcp::endpoint HttpServer::localEndpoint() const {
  beast::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void HttpServer::acceptNext() {
  acceptor_.async_accept(io_, beast::bind_front_handler(&HttpServer::onAccept, this));
}

void HttpServer::onAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopped_) return;
  if (ec) {
    spdlog::warn("http: accept failed: {}", ec.message());
    acceptNext();
    return;
  }
  beast::error_code ignored;
  const auto peer = socket.remote_endpoint(ignored);
  const std::string remote = peer.address().to_string() + ":" + std::to_string(peer.port());
  if (context_->registry.size() >= options_.maxConnections) {
    spdlog::warn("http: {} connections open, refusing {}", context_->registry.size(), remote);
    socket.close(ignored);
    acceptNext();
    return;
  }
  const uint64_t id = context_->registry.nextId();
  if (options_.tls) {
    auto session = std::make_shared<TlsHttpSession>(
        beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *options_.tls), context_, id, remote);
    context_->registry.add(id, session);
    session->run();
  } else {
    auto session = std::make_shared<PlainHttpSession>(beast::tcp_stream(std::move(socket)), context_, id, remote);
    context_->registry.add(id, session);
    session->run();
  }
  acceptNext();
}

}  // namespace diemcau::signaling::http
