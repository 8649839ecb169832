#include "signaling/http/HttpSession.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

#include "signaling/http/SecurityHeaders.hpp"
#include "signaling/http/WsConnection.hpp"

namespace diemcau::signaling::http {

namespace beast = boost::beast;

namespace {

template <class Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, beast::tcp_stream>;

Response plainError(beast_http::status status, std::string_view text) {
  Response response(status, 11);
  response.set(beast_http::field::content_type, "text/plain; charset=utf-8");
  response.body() = std::string(text) + "\n";
  response.keep_alive(false);
  response.prepare_payload();
  return response;
}

}  // namespace

// A streamed response and its serializer, which refers to it: they live and die together.
template <class Stream>
struct HttpSession<Stream>::StreamWrite {
  explicit StreamWrite(StreamResponse message) : response(std::move(message)), serializer(response) {
    // Header and body written apart: unsplit, Boost 1.74's serializer counts a message whose body is
    // not ready at the header (need_more) as complete once the header is out.
    serializer.split(true);
  }
  StreamResponse response;
  beast_http::response_serializer<SourceBody> serializer;
};

template <class Stream>
HttpSession<Stream>::HttpSession(Stream&& stream, std::shared_ptr<ServerContext> context, uint64_t id,
                                 std::string remote)
    : stream_(std::move(stream)), context_(std::move(context)), id_(id), remote_(std::move(remote)) {}

template <class Stream>
HttpSession<Stream>::~HttpSession() {
  if (!upgraded_) context_->registry.remove(id_);
}

template <class Stream>
void HttpSession<Stream>::run() {
  beast::get_lowest_layer(stream_).expires_after(context_->limits.requestTimeout);
  if constexpr (kIsTls<Stream>) {
    stream_.async_handshake(boost::asio::ssl::stream_base::server,
                            beast::bind_front_handler(&HttpSession::onHandshake, this->shared_from_this()));
  } else {
    readRequest();
  }
}

template <class Stream>
void HttpSession<Stream>::onHandshake(beast::error_code ec) {
  if (ec) {
    spdlog::debug("http {} from {}: TLS handshake failed: {}", id_, remote_, ec.message());
    return;
  }
  readRequest();
}

template <class Stream>
void HttpSession<Stream>::readRequest() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(context_->limits.headerLimit));
  parser_->body_limit(context_->limits.bodyLimit);
  beast::get_lowest_layer(stream_).expires_after(context_->limits.requestTimeout);
  beast_http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&HttpSession::onRead, this->shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::onRead(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec == beast_http::error::end_of_stream) return closeStream();
  if (ec == beast_http::error::header_limit) {
    return respond(plainError(beast_http::status::request_header_fields_too_large, "request header too large"), true);
  }
  if (ec == beast_http::error::body_limit) {
    return respond(plainError(beast_http::status::payload_too_large, "request body too large"), true);
  }
  if (ec == beast::error::timeout || ec == boost::asio::error::operation_aborted) return closeStream();
  if (ec && (ec.category() == beast_http::make_error_code(beast_http::error::bad_target).category())) {
    return respond(plainError(beast_http::status::bad_request, "malformed request"), true);
  }
  if (ec) return closeStream();

  const Request& request = parser_->get();
  if (beast::websocket::is_upgrade(request) && Router::pathOf(std::string_view(request.target().data(), request.target().size())) == "/ws") return upgrade();

  RoutedResponse routed = context_->router.route(request);
  if (auto* streamed = std::get_if<StreamResponse>(&routed)) return respondStream(std::move(*streamed), !request.keep_alive());
  Response response = std::get<Response>(std::move(routed));
  if (request.method() == beast_http::verb::head && !response.body().empty()) {
    const auto size = response.body().size();
    response.body().clear();
    response.content_length(size);
  }
  respond(std::move(response), !request.keep_alive());
}

template <class Stream>
void HttpSession<Stream>::upgrade() {
  upgraded_ = true;
  auto connection = std::make_shared<WsConnection<Stream>>(std::move(stream_), context_, id_, remote_);
  // The registry entry now names the WebSocket, which outlives this session.
  context_->registry.add(id_, connection);
  connection->accept(parser_->release());
}

template <class Stream>
void HttpSession<Stream>::respond(Response response, bool close) {
  applySecurityHeaders(response, kIsTls<Stream>);
  if (close) response.keep_alive(false);
  pending_ = std::make_shared<Response>(std::move(response));
  beast_http::async_write(stream_, *pending_,
                          beast::bind_front_handler(&HttpSession::onWrite, this->shared_from_this(), close));
}

template <class Stream>
void HttpSession<Stream>::respondStream(StreamResponse response, bool close) {
  applySecurityHeaders(response.base(), kIsTls<Stream>);
  if (close) response.keep_alive(false);
  streaming_ = std::make_shared<StreamWrite>(std::move(response));
  writeStreamPiece(close);
}

// One piece at a time, each with its own deadline: a large download may take far longer than one
// request timeout, but a client that stops reading is still dropped.
template <class Stream>
void HttpSession<Stream>::writeStreamPiece(bool close) {
  beast::get_lowest_layer(stream_).expires_after(context_->limits.requestTimeout);
  beast_http::async_write_some(stream_, streaming_->serializer,
                               beast::bind_front_handler(&HttpSession::onStreamWrite, this->shared_from_this(), close));
}

template <class Stream>
void HttpSession<Stream>::onStreamWrite(bool close, beast::error_code ec, std::size_t /*bytes*/) {
  if (ec == beast_http::error::need_more && streaming_) {
    // The source reads ahead on its own thread and has nothing yet: park until it has, rather than
    // waiting for the disk here on the signaling thread. It calls back once, from its thread.
    auto self = this->shared_from_this();
    auto executor = stream_.get_executor();
    streaming_->response.body()->notifyWhenAvailable([self, executor, close] {
      boost::asio::post(executor, [self, close] {
        if (self->streaming_) self->writeStreamPiece(close);
      });
    });
    return;
  }
  if (ec) {
    spdlog::debug("http {} to {}: streamed response aborted: {}", id_, remote_, ec.message());
    streaming_.reset();
    return closeStream();
  }
  if (!streaming_->serializer.is_done()) return writeStreamPiece(close);
  streaming_.reset();
  if (close) return closeStream();
  readRequest();
}

template <class Stream>
void HttpSession<Stream>::onWrite(bool close, beast::error_code ec, std::size_t /*bytes*/) {
  pending_.reset();
  if (ec || close) return closeStream();
  readRequest();
}

template <class Stream>
void HttpSession<Stream>::closeStream() {
  beast::error_code ignored;
  auto& socket = beast::get_lowest_layer(stream_).socket();
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

template <class Stream>
void HttpSession<Stream>::shutdown() {
  if (!upgraded_) closeStream();
}

template class HttpSession<beast::tcp_stream>;
template class HttpSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace diemcau::signaling::http
