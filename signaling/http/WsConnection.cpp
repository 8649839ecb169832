#include "signaling/http/WsConnection.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/websocket/ssl.hpp>

#include "signaling/http/SecurityHeaders.hpp"

namespace diemcau::signaling::http {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

template <class Stream>
WsConnection<Stream>::WsConnection(Stream&& stream, std::shared_ptr<ServerContext> context, uint64_t id,
                                   std::string remote)
    : ws_(std::move(stream)), context_(std::move(context)), id_(id), remote_(std::move(remote)) {}

template <class Stream>
WsConnection<Stream>::~WsConnection() {
  context_->registry.remove(id_);
}

template <class Stream>
void WsConnection<Stream>::accept(Request request) {
  const ConnectionLimits& limits = context_->limits;
  // The websocket stream keeps its own timers; the HTTP deadline would otherwise cut it off.
  beast::get_lowest_layer(ws_).expires_never();
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout = limits.wsHandshakeTimeout;
  timeout.idle_timeout = limits.wsIdleTimeout;
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  ws_.read_message_max(limits.wsMaxMessage);
  const bool tls = context_->tls;
  ws_.set_option(websocket::stream_base::decorator([tls](websocket::response_type& response) {
    response.set(beast_http::field::server, "diemcau");
    if (tls) response.set(beast_http::field::strict_transport_security, "max-age=31536000");
  }));
  ws_.async_accept(request, beast::bind_front_handler(&WsConnection::onAccept, this->shared_from_this()));
}

template <class Stream>
void WsConnection<Stream>::onAccept(beast::error_code ec) {
  if (ec) {
    spdlog::debug("ws {} from {}: handshake failed: {}", id_, remote_, ec.message());
    return;
  }
  open_ = true;
  spdlog::debug("ws {} from {}: open", id_, remote_);
  readNext();
}

template <class Stream>
void WsConnection<Stream>::readNext() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WsConnection::onRead, this->shared_from_this()));
}

template <class Stream>
void WsConnection<Stream>::onRead(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    if (ec == websocket::error::message_too_big) {
      spdlog::info("ws {} from {}: message over {} bytes, closed (1009)", id_, remote_, context_->limits.wsMaxMessage);
    } else if (ec != websocket::error::closed) {
      spdlog::debug("ws {} from {}: read ended: {}", id_, remote_, ec.message());
    }
    finish();
    return;
  }
  if (!ws_.got_text()) {
    buffer_.consume(buffer_.size());
    startClose({websocket::close_code::bad_payload, "binary messages are not supported"});
    readNext();  // the close handshake completes through the read loop
    return;
  }
  const auto data = buffer_.data();
  const std::string_view text(static_cast<const char*>(data.data()), data.size());
  context_->dispatcher.onMessage(*this, text);
  buffer_.consume(buffer_.size());
  readNext();
}

template <class Stream>
void WsConnection<Stream>::send(const nlohmann::json& message) {
  if (!open_ || closing_ || finished_) return;
  enqueue(std::make_shared<const std::string>(protocol::serialize(message)));
}

template <class Stream>
void WsConnection<Stream>::sendShared(const protocol::SharedMessage& message) {
  if (!open_ || closing_ || finished_) return;
  enqueue(message.text());
}

template <class Stream>
void WsConnection<Stream>::enqueue(std::shared_ptr<const std::string> text) {
  queuedBytes_ += text->size();
  if (queuedBytes_ > context_->limits.wsMaxQueuedBytes) {
    spdlog::warn("ws {} from {}: {} bytes waiting to be sent, client too slow, disconnecting", id_, remote_,
                 queuedBytes_);
    closing_ = true;
    queue_.clear();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);  // the pending read then ends the connection
    return;
  }
  queue_.push_back(std::move(text));
  if (!writing_) writeNext();
}

template <class Stream>
void WsConnection<Stream>::writeNext() {
  if (queue_.empty()) {
    writing_ = false;
    if (pendingClose_) asyncClose(*std::exchange(pendingClose_, std::nullopt));
    return;
  }
  writing_ = true;
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(*queue_.front()),
                  [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onWrite(ec); });
}

template <class Stream>
void WsConnection<Stream>::onWrite(beast::error_code ec) {
  if (!queue_.empty()) {
    queuedBytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  if (ec) {
    writing_ = false;
    return;  // the read loop sees the failure too and finishes
  }
  writeNext();
}

template <class Stream>
void WsConnection<Stream>::close(std::string_view reason) {
  // Close reasons are limited to 123 bytes (RFC 6455 section 5.5: control frame payload <= 125).
  startClose({websocket::close_code::normal, std::string(reason.substr(0, 123))});
}

template <class Stream>
void WsConnection<Stream>::startClose(websocket::close_reason reason) {
  if (!open_ || closing_ || finished_) return;
  closing_ = true;  // no further message is accepted
  // What was queued before the close (e.g. `removed`, `meeting.ended`) is delivered first.
  if (writing_) {
    pendingClose_ = std::move(reason);
    return;
  }
  asyncClose(std::move(reason));
}

template <class Stream>
void WsConnection<Stream>::asyncClose(websocket::close_reason reason) {
  ws_.async_close(reason, [self = this->shared_from_this()](beast::error_code ec) {
    if (ec) spdlog::debug("ws {}: close failed: {}", self->id_, ec.message());
  });
}

template <class Stream>
void WsConnection<Stream>::finish() {
  if (finished_) return;
  finished_ = true;
  closing_ = true;
  queue_.clear();
  queuedBytes_ = 0;
  context_->registry.remove(id_);
  context_->dispatcher.onClose(*this);
  spdlog::debug("ws {} from {}: closed", id_, remote_);
}

template class WsConnection<beast::tcp_stream>;
template class WsConnection<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace diemcau::signaling::http
