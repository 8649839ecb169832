#include "tests/peers/WsClient.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

namespace diemcau::peers {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {
constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr std::size_t kMaxMessageBytes = 1 << 20;  // an SDP is a few kB; refuse anything absurd
}  // namespace

WsClient::WsClient(Listener& listener)
    : listener_(listener), work_(asio::make_work_guard(io_)), resolver_(io_), ws_(io_) {}

WsClient::~WsClient() { close(); }

void WsClient::connect(const std::string& url) {
  const std::string scheme = "ws://";
  if (url.rfind(scheme, 0) != 0) {
    throw std::invalid_argument("WebSocket URL must start with ws://: " + url);
  }
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  target_ = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == authority.size()) {
    throw std::invalid_argument("WebSocket URL needs host:port: " + url);
  }
  host_ = authority.substr(0, colon);
  port_ = authority.substr(colon + 1);
  ws_.read_message_max(kMaxMessageBytes);

  resolver_.async_resolve(host_, port_, [this](const auto& ec, const auto& results) {
    onResolved(ec, results);
  });
  thread_ = std::thread([this] { io_.run(); });
}

void WsClient::send(std::string text) {
  asio::post(io_, [this, text = std::move(text)]() mutable {
    if (finished_ || closeRequested_) {
      return;
    }
    writeQueue_.push_back(std::move(text));
    if (open_ && writeQueue_.size() == 1) {
      writeNext();
    }
  });
}

void WsClient::close() {
  if (!thread_.joinable()) {
    return;
  }
  asio::post(io_, [this] {
    closeRequested_ = true;
    if (writeQueue_.empty()) {
      closeNow();
    }
  });
  work_.reset();
  // A server that never answers the close frame must not hang the program.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (!io_.stopped() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  io_.stop();
  thread_.join();
}

void WsClient::onResolved(const boost::system::error_code& ec,
                          const asio::ip::tcp::resolver::results_type& results) {
  if (ec) {
    finish("resolve " + host_ + ": " + ec.message());
    return;
  }
  beast::get_lowest_layer(ws_).expires_after(kConnectTimeout);
  beast::get_lowest_layer(ws_).async_connect(
      results, [this](const auto& cec, const auto&) { onConnected(cec); });
}

void WsClient::onConnected(const boost::system::error_code& ec) {
  if (ec) {
    finish("connect " + host_ + ":" + port_ + ": " + ec.message());
    return;
  }
  // The websocket stream keeps its own timeouts once the handshake starts.
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  ws_.text(true);
  ws_.async_handshake(host_ + ":" + port_, target_,
                      [this](const auto& hec) { onHandshake(hec); });
}

void WsClient::onHandshake(const boost::system::error_code& ec) {
  if (ec) {
    finish("WebSocket handshake " + target_ + ": " + ec.message());
    return;
  }
  open_ = true;
  listener_.onWsOpen();
  readNext();
  if (!writeQueue_.empty()) {
    writeNext();
  }
}

void WsClient::readNext() {
  ws_.async_read(readBuffer_, [this](const auto& ec, std::size_t n) { onRead(ec, n); });
}

void WsClient::onRead(const boost::system::error_code& ec, std::size_t) {
  if (ec) {
    finish(ec == websocket::error::closed ? "closed by server" : "read: " + ec.message());
    return;
  }
  std::string text = beast::buffers_to_string(readBuffer_.data());
  readBuffer_.consume(readBuffer_.size());
  listener_.onWsMessage(std::move(text));
  readNext();
}

void WsClient::writeNext() {
  ws_.async_write(asio::buffer(writeQueue_.front()),
                  [this](const auto& ec, std::size_t) { onWritten(ec); });
}

void WsClient::onWritten(const boost::system::error_code& ec) {
  if (ec) {
    finish("write: " + ec.message());
    return;
  }
  writeQueue_.pop_front();
  if (!writeQueue_.empty()) {
    writeNext();
  } else if (closeRequested_) {
    closeNow();
  }
}

void WsClient::closeNow() {
  if (!open_) {
    finish("closed before opening");
    return;
  }
  open_ = false;
  ws_.async_close(websocket::close_code::normal, [this](const auto&) {
    finish("closed by client");
  });
}

void WsClient::finish(const std::string& reason) {
  if (finished_) {
    return;
  }
  finished_ = true;
  open_ = false;
  spdlog::debug("websocket finished: {}", reason);
  listener_.onWsClosed(reason);
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  resolver_.cancel();
}

}  // namespace diemcau::peers
