#pragma once
// SiteSignaling over the bridge's own protocol (docs/PROTOCOL.md): one WebSocket at /ws, `join`
// with the site's token, `publish`, `subscribe.offer` / `subscribe.answer`, `candidate`, `leave`.
#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

#include "tools/load/SiteSignaling.hpp"
#include "tools/load/WsConnection.hpp"

namespace diemcau::load {

class DiemcauSignaling final : public SiteSignaling,
                               public WsConnection::Listener,
                               public std::enable_shared_from_this<DiemcauSignaling> {
 public:
  DiemcauSignaling(boost::asio::io_context& io, std::string host, std::string port, std::string token);

  void start(std::weak_ptr<SiteSignaling::Listener> listener) override;
  void publish(const std::string& offerSdp) override;
  void answerSubscribe(uint32_t version, const std::string& answerSdp) override;
  void leave() override;

 private:
  void onWsOpen() override;
  void onWsMessage(std::string text) override;
  void onWsClosed(std::string reason) override;
  void fail(const std::string& reason);

  boost::asio::io_context& io_;
  std::string host_;
  std::string port_;
  std::string token_;
  std::weak_ptr<SiteSignaling::Listener> listener_;
  std::shared_ptr<WsConnection> ws_;
  int nextId_ = 1;  // io thread only once started
  bool leaving_ = false;
};

}  // namespace diemcau::load
