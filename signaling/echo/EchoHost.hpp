#pragma once
// Worker-side holder of one echo session: owns the EchoSession and relays its events to the
// signaling thread. Created and destroyed by tasks on its worker.
#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "bridge/echo/EchoSession.hpp"

namespace diemcau::signaling::echo {

class EchoService;

class EchoHost final : private bridge::EchoSession::Listener {
 public:
  EchoHost(boost::asio::io_context& io, std::weak_ptr<EchoService> service, std::string id);
  ~EchoHost() override;

  /// Worker thread: builds the session from the offer and starts negotiation; the result reaches the
  /// service as onAnswer or onFailure.
  void start(media::MediaEngine& engine, media::Worker& worker, const std::string& offer, nlohmann::json requestId);
  /// Worker thread: a trickled candidate ("" = end of candidates).
  void addCandidate(const std::string& candidate, nlohmann::json requestId);

 private:
  void onEchoCandidate(const std::string& sdpCandidate, const std::string& mid) override;
  void onEchoClosed(std::string_view reason) override;

  template <typename F>
  void toService(F&& f);

  boost::asio::io_context& io_;
  std::weak_ptr<EchoService> service_;
  std::string id_;
  std::unique_ptr<bridge::EchoSession> session_;
};

}  // namespace diemcau::signaling::echo
