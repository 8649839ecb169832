#pragma once
// A text WebSocket client connection (Boost.Beast) on an io_context shared by every simulated site
// of the process: one io thread serves hundreds of connections, where a thread per connection
// (as the single-peer test client does) would not scale.
//
// Listener calls happen on the io thread. send() and close() may be called from any thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <memory>
#include <string>

namespace diemcau::load {

class WsConnection : public std::enable_shared_from_this<WsConnection> {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onWsOpen() = 0;
    virtual void onWsMessage(std::string text) = 0;
    /// Called once, after a failed connect or when an open connection ends.
    virtual void onWsClosed(std::string reason) = 0;
  };

  /// `subprotocol` is sent as Sec-WebSocket-Protocol when non-empty (Janus wants "janus-protocol").
  static std::shared_ptr<WsConnection> create(boost::asio::io_context& io, std::weak_ptr<Listener> listener,
                                              std::string subprotocol = {});

  /// Starts connecting to ws://host:port/target.
  void connect(const std::string& host, const std::string& port, const std::string& target);
  void send(std::string text);
  /// Sends a close frame after the queued messages; the listener then gets onWsClosed.
  void close();

 private:
  using Stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;

  WsConnection(boost::asio::io_context& io, std::weak_ptr<Listener> listener, std::string subprotocol);
  void onResolved(const boost::system::error_code& ec, const boost::asio::ip::tcp::resolver::results_type& results);
  void onConnected(const boost::system::error_code& ec);
  void onHandshake(const boost::system::error_code& ec);
  void readNext();
  void writeNext();
  void closeNow();
  void finish(const std::string& reason);

  boost::asio::io_context& io_;
  std::weak_ptr<Listener> listener_;
  std::string subprotocol_;
  boost::asio::ip::tcp::resolver resolver_;
  Stream ws_;
  boost::beast::flat_buffer readBuffer_;
  std::deque<std::string> writeQueue_;  // io thread only
  std::string host_;
  std::string port_;
  std::string target_;
  bool open_ = false;            // io thread only
  bool closeRequested_ = false;  // io thread only
  bool closing_ = false;         // io thread only
  bool finished_ = false;        // io thread only
};

}  // namespace diemcau::load
