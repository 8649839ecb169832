#pragma once
// SiteSignaling over the Janus WebSocket API (subprotocol "janus-protocol") and its videoroom
// plugin, so the same simulated sites drive Janus: a session and one handle per site; the hall
// joins a room as publisher and publishes with `configure` (its offer, Janus answers); each other
// site joins as a subscriber of the hall's feed (Janus offers, the site answers with `start`).
// Only the fan-out shape is expressed this way: Janus has no meeting routing of its own. Idle
// participants join as publishers that never publish.
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <string>

#include "tools/load/SiteSignaling.hpp"
#include "tools/load/WsConnection.hpp"

namespace diemcau::load {

class JanusSignaling final : public SiteSignaling,
                             public WsConnection::Listener,
                             public std::enable_shared_from_this<JanusSignaling> {
 public:
  /// `publisher`: join as the room's publisher and store its feed id in `hallFeed`; otherwise
  /// subscribe to the feed found in `hallFeed`.
  JanusSignaling(boost::asio::io_context& io, std::string host, std::string port, uint64_t room, std::string display,
                 bool publisher, std::shared_ptr<std::atomic<uint64_t>> hallFeed);

  void start(std::weak_ptr<SiteSignaling::Listener> listener) override;
  void publish(const std::string& offerSdp) override;
  void answerSubscribe(uint32_t version, const std::string& answerSdp) override;
  void leave() override;

 private:
  void onWsOpen() override;
  void onWsMessage(std::string text) override;
  void onWsClosed(std::string reason) override;
  void send(const std::string& janus, const std::string& transaction, const std::string& extra);
  void fail(const std::string& reason);

  boost::asio::io_context& io_;
  std::string host_;
  std::string port_;
  uint64_t room_;
  std::string display_;
  bool publisher_;
  std::shared_ptr<std::atomic<uint64_t>> hallFeed_;
  std::weak_ptr<SiteSignaling::Listener> listener_;
  std::shared_ptr<WsConnection> ws_;
  // io thread only:
  uint64_t session_ = 0;
  uint64_t handle_ = 0;
  uint32_t offers_ = 0;
  bool leaving_ = false;
};

}  // namespace diemcau::load
