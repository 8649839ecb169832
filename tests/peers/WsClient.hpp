#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <optional>
#include <string>
#include <thread>

namespace diemcau::peers {

/// A text-only WebSocket client (Boost.Beast) running on its own thread.
///
///   caller thread --send()--> post --> io thread: write queue --> socket
///   socket --> io thread: read loop --> Listener (io thread)
///
/// Beast allows one outstanding read and one outstanding write, so writes are queued and
/// chained on the io thread; send() may be called from any thread.
class WsClient {
 public:
  /// Called on the client's io thread; implementations hand the event to their own thread.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onWsOpen() = 0;
    virtual void onWsMessage(std::string text) = 0;
    /// Called once, after a failed connect or when an open connection ends.
    virtual void onWsClosed(std::string reason) = 0;
  };

  explicit WsClient(Listener& listener);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  /// Starts connecting to ws://host:port/path. Throws std::invalid_argument on a bad URL.
  void connect(const std::string& url);
  void send(std::string text);
  /// Sends a close frame after the queued messages and joins the io thread.
  void close();

 private:
  using Stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;

  void onResolved(const boost::system::error_code& ec,
                  const boost::asio::ip::tcp::resolver::results_type& results);
  void onConnected(const boost::system::error_code& ec);
  void onHandshake(const boost::system::error_code& ec);
  void readNext();
  void onRead(const boost::system::error_code& ec, std::size_t bytes);
  void writeNext();
  void onWritten(const boost::system::error_code& ec);
  void closeNow();
  void finish(const std::string& reason);

  Listener& listener_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  boost::asio::ip::tcp::resolver resolver_;
  Stream ws_;
  boost::beast::flat_buffer readBuffer_;
  std::deque<std::string> writeQueue_;  // io thread only
  std::string host_;
  std::string port_;
  std::string target_;
  bool open_ = false;          // io thread only
  bool closeRequested_ = false;  // io thread only
  bool finished_ = false;      // io thread only
  std::thread thread_;
};

}  // namespace diemcau::peers
