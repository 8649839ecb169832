#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <optional>
#include <string>

#include "signaling/http/HttpTypes.hpp"
#include "signaling/http/ServerContext.hpp"

namespace diemcau::signaling::http {

/// One HTTP/1.1 connection: (TLS handshake,) then request after request, each bounded in header
/// size, body size and time. An upgrade to /ws hands the stream to a WsConnection. Signaling thread only.
template <class Stream>
class HttpSession final : public Closable, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream&& stream, std::shared_ptr<ServerContext> context, uint64_t id, std::string remote);
  ~HttpSession() override;

  void run();
  void shutdown() override;

 private:
  void onHandshake(boost::beast::error_code ec);
  void readRequest();
  void onRead(boost::beast::error_code ec, std::size_t bytes);
  void upgrade();
  void respond(Response response, bool close);
  void respondStream(StreamResponse response, bool close);
  void writeStreamPiece(bool close);
  void onStreamWrite(bool close, boost::beast::error_code ec, std::size_t bytes);
  void onWrite(bool close, boost::beast::error_code ec, std::size_t bytes);
  void closeStream();

  Stream stream_;
  std::shared_ptr<ServerContext> context_;
  uint64_t id_;
  std::string remote_;
  boost::beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  std::shared_ptr<Response> pending_;
  struct StreamWrite;
  std::shared_ptr<StreamWrite> streaming_;
  bool upgraded_ = false;
};

using PlainHttpSession = HttpSession<boost::beast::tcp_stream>;
using TlsHttpSession = HttpSession<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace diemcau::signaling::http
