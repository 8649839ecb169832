#pragma once

#include <optional>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <memory>
#include <string>

#include "signaling/http/HttpTypes.hpp"
#include "signaling/http/ServerContext.hpp"
#include "signaling/protocol/Connection.hpp"

namespace diemcau::signaling::http {

/// One /ws client. Reads complete text messages (at most limits.wsMaxMessage bytes; a larger one
/// closes the connection with 1009 "message too big", RFC 6455 section 7.4.1) and hands them to the
/// dispatcher; queues outgoing messages and writes one at a time. A client whose queue exceeds
/// limits.wsMaxQueuedBytes is disconnected, so a stalled peer never holds memory or the thread.
/// Keep-alive pings are sent at half the idle timeout. Signaling thread only.
template <class Stream>
class WsConnection final : public protocol::Connection,
                           public Closable,
                           public std::enable_shared_from_this<WsConnection<Stream>> {
 public:
  WsConnection(Stream&& stream, std::shared_ptr<ServerContext> context, uint64_t id, std::string remote);
  ~WsConnection() override;

  /// Completes the upgrade `request` and starts reading.
  void accept(Request request);

  uint64_t id() const override { return id_; }
  void send(const nlohmann::json& message) override;
  void sendShared(const protocol::SharedMessage& message) override;
  void close(std::string_view reason) override;
  std::string remoteAddress() const override { return remote_; }
  void shutdown() override { close("server shutting down"); }

 private:
  void onAccept(boost::beast::error_code ec);
  void readNext();
  void onRead(boost::beast::error_code ec, std::size_t bytes);
  void writeNext();
  void onWrite(boost::beast::error_code ec);
  void startClose(boost::beast::websocket::close_reason reason);
  void asyncClose(boost::beast::websocket::close_reason reason);
  void finish();

  boost::beast::websocket::stream<Stream> ws_;
  std::shared_ptr<ServerContext> context_;
  uint64_t id_;
  std::string remote_;
  boost::beast::flat_buffer buffer_;
  void enqueue(std::shared_ptr<const std::string> text);

  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queuedBytes_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  std::optional<boost::beast::websocket::close_reason> pendingClose_;  // sent once the queue is empty
  bool finished_ = false;
};

using PlainWsConnection = WsConnection<boost::beast::tcp_stream>;
using TlsWsConnection = WsConnection<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

}  // namespace diemcau::signaling::http
