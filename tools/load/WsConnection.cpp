#include "tools/load/WsConnection.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/stream_base.hpp>

#include <chrono>

namespace diemcau::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {
constexpr size_t kMaxMessageBytes = 1 << 20;
constexpr auto kConnectTimeout = std::chrono::seconds(10);
}  // namespace

std::shared_ptr<WsConnection> WsConnection::create(asio::io_context& io, std::weak_ptr<Listener> listener,
                                                   std::string subprotocol) {
  return std::shared_ptr<WsConnection>(new WsConnection(io, std::move(listener), std::move(subprotocol)));
}

WsConnection::WsConnection(asio::io_context& io, std::weak_ptr<Listener> listener, std::string subprotocol)
    : io_(io), listener_(std::move(listener)), subprotocol_(std::move(subprotocol)), resolver_(io), ws_(io) {}

void WsConnection::connect(const std::string& host, const std::string& port, const std::string& target) {
  asio::post(io_, [self = shared_from_this(), host, port, target] {
    self->host_ = host;
    self->port_ = port;
    self->target_ = target;
    self->ws_.read_message_max(kMaxMessageBytes);
    self->resolver_.async_resolve(host, port, [self](const auto& ec, const auto& results) {
      self->onResolved(ec, results);
    });
  });
}

void WsConnection::send(std::string text) {
  asio::post(io_, [self = shared_from_this(), text = std::move(text)]() mutable {
    if (self->finished_ || self->closeRequested_) return;
    self->writeQueue_.push_back(std::move(text));
    if (self->open_ && self->writeQueue_.size() == 1) self->writeNext();
  });
}

void WsConnection::close() {
  asio::post(io_, [self = shared_from_this()] {
    if (self->finished_) return;
    self->closeRequested_ = true;
    if (!self->open_) {
      self->resolver_.cancel();
      beast::get_lowest_layer(self->ws_).cancel();
      self->finish("closed before it opened");
      return;
    }
    if (self->writeQueue_.empty()) self->closeNow();
  });
}

void WsConnection::onResolved(const boost::system::error_code& ec, const asio::ip::tcp::resolver::results_type& results) {
  if (ec) return finish("resolve " + host_ + ": " + ec.message());
  if (finished_) return;
  beast::get_lowest_layer(ws_).expires_after(kConnectTimeout);
  beast::get_lowest_layer(ws_).async_connect(
      results, [self = shared_from_this()](const auto& cec, const auto&) { self->onConnected(cec); });
}

void WsConnection::onConnected(const boost::system::error_code& ec) {
  if (ec) return finish("connect " + host_ + ":" + port_ + ": " + ec.message());
  if (finished_) return;
  beast::get_lowest_layer(ws_).expires_never();
  beast::get_lowest_layer(ws_).socket().set_option(asio::ip::tcp::no_delay(true));
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  if (!subprotocol_.empty()) {
    ws_.set_option(websocket::stream_base::decorator([protocol = subprotocol_](websocket::request_type& request) {
      request.set(beast::http::field::sec_websocket_protocol, protocol);
    }));
  }
  ws_.text(true);
  ws_.async_handshake(host_ + ":" + port_, target_,
                      [self = shared_from_this()](const auto& hec) { self->onHandshake(hec); });
}

void WsConnection::onHandshake(const boost::system::error_code& ec) {
  if (ec) return finish("WebSocket handshake " + target_ + ": " + ec.message());
  if (finished_) return;
  open_ = true;
  if (auto listener = listener_.lock()) listener->onWsOpen();
  readNext();
  if (closeRequested_ && writeQueue_.empty()) {
    closeNow();
  } else if (!writeQueue_.empty()) {
    writeNext();
  }
}

void WsConnection::readNext() {
  ws_.async_read(readBuffer_, [self = shared_from_this()](const auto& ec, std::size_t) {
    if (ec) {
      self->finish(ec == websocket::error::closed ? "closed by the server" : "read: " + ec.message());
      return;
    }
    std::string text = beast::buffers_to_string(self->readBuffer_.data());
    self->readBuffer_.consume(self->readBuffer_.size());
    if (auto listener = self->listener_.lock()) listener->onWsMessage(std::move(text));
    if (!self->finished_) self->readNext();
  });
}

void WsConnection::writeNext() {
  ws_.async_write(asio::buffer(writeQueue_.front()), [self = shared_from_this()](const auto& ec, std::size_t) {
    if (ec) return self->finish("write: " + ec.message());
    self->writeQueue_.pop_front();
    if (!self->writeQueue_.empty()) {
      self->writeNext();
    } else if (self->closeRequested_) {
      self->closeNow();
    }
  });
}

void WsConnection::closeNow() {
  if (closing_ || finished_) return;
  closing_ = true;
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](const auto&) {
    // The pending read completes with an error and finishes the connection.
    beast::get_lowest_layer(self->ws_).close();
    self->finish("closed");
  });
}

void WsConnection::finish(const std::string& reason) {
  if (finished_) return;
  finished_ = true;
  open_ = false;
  writeQueue_.clear();
  if (auto listener = listener_.lock()) listener->onWsClosed(reason);
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace diemcau::load
