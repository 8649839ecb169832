#pragma once
// The echo service on /ws (docs/PROTOCOL.md, "Echo service"): signaling-thread side.
//
//   signaling thread                                  media worker
//   EchoService::handle(echo.start) ── post ───────►  EchoHost: EchoSession(offer) → gather → answer
//   reply {sdp} ◄──────────────────── asio::post ──  (answer, candidates, closed)
//
// The service never touches an EchoSession: it posts tasks that run on the session's worker.
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "media/transport/MediaEngine.hpp"
#include "signaling/protocol/Service.hpp"

namespace diemcau::signaling::echo {

class EchoHost;

class EchoService final : public protocol::Service, public std::enable_shared_from_this<EchoService> {
 public:
  /// Echo sessions one connection may hold at once.
  static constexpr size_t kMaxSessionsPerConnection = 2;

  EchoService(boost::asio::io_context& io, media::MediaEngine& engine);
  ~EchoService() override;

  std::vector<std::string> types() const override;
  std::optional<nlohmann::json> handle(protocol::Connection& connection, const protocol::Request& request) override;
  void onClose(protocol::Connection& connection) override;

  size_t sessionCount() const { return sessions_.size(); }

 private:
  struct Session {
    protocol::Connection* connection;
    media::Worker* worker;
    EchoHost* host;  // owned by the worker's tasks; dereferenced only there
  };

  std::optional<nlohmann::json> start(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> candidate(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> stop(protocol::Connection& connection, const protocol::Request& request);
  Session& find(protocol::Connection& connection, const protocol::Request& request);
  void destroy(std::map<std::string, Session>::iterator it);

  // Called on the signaling thread by tasks the worker posted back.
  void onAnswer(const std::string& id, const nlohmann::json& requestId, const std::string& sdp);
  void onFailure(const std::string& id, const nlohmann::json& requestId, const std::string& message);
  void onCandidate(const std::string& id, const std::string& candidate, const std::string& mid);
  void onClosed(const std::string& id, const std::string& reason);
  void onCandidateResult(const std::string& id, const nlohmann::json& requestId, bool accepted);

  boost::asio::io_context& io_;
  media::MediaEngine& engine_;
  std::map<std::string, Session> sessions_;
  uint64_t nextId_ = 1;

  friend class EchoHost;
};

}  // namespace diemcau::signaling::echo
