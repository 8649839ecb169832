#include "signaling/echo/EchoService.hpp"

#include <spdlog/spdlog.h>

#include "signaling/echo/EchoHost.hpp"
#include "signaling/protocol/Messages.hpp"
#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::echo {

using protocol::ErrorCode;
using protocol::ProtocolError;

EchoService::EchoService(boost::asio::io_context& io, media::MediaEngine& engine) : io_(io), engine_(engine) {}

EchoService::~EchoService() {
  while (!sessions_.empty()) destroy(sessions_.begin());
}

std::vector<std::string> EchoService::types() const { return {"echo.start", "echo.candidate", "echo.stop"}; }

std::optional<nlohmann::json> EchoService::handle(protocol::Connection& connection,
                                                  const protocol::Request& request) {
  if (request.type == "echo.start") return start(connection, request);
  if (request.type == "echo.candidate") return candidate(connection, request);
  return stop(connection, request);
}

std::optional<nlohmann::json> EchoService::start(protocol::Connection& connection,
                                                 const protocol::Request& request) {
  const std::string& offer = request.requireString("sdp");
  size_t owned = 0;
  for (const auto& [id, session] : sessions_) owned += session.connection == &connection ? 1 : 0;
  if (owned >= kMaxSessionsPerConnection) {
    throw ProtocolError(ErrorCode::NotAllowed, "this connection already has " + std::to_string(owned) +
                                                   " echo sessions; stop one first");
  }
  const std::string id = "e" + std::to_string(nextId_++);
  media::Worker& worker = engine_.workers().pickLeastLoaded();
  auto* host = new EchoHost(io_, weak_from_this(), id);
  sessions_.emplace(id, Session{&connection, &worker, host});
  media::MediaEngine& engine = engine_;
  worker.post([host, &engine, &worker, offer, requestId = request.id] {
    host->start(engine, worker, offer, requestId);
  });
  return std::nullopt;  // answered by onAnswer / onFailure
}

EchoService::Session& EchoService::find(protocol::Connection& connection, const protocol::Request& request) {
  const std::string& id = request.requireString("session");
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second.connection != &connection) {
    throw ProtocolError(ErrorCode::NotFound, "no echo session '" + id + "' on this connection");
  }
  return it->second;
}

std::optional<nlohmann::json> EchoService::candidate(protocol::Connection& connection,
                                                     const protocol::Request& request) {
  Session& session = find(connection, request);
  std::string candidate = request.requireString("candidate");
  if (candidate.size() > 1024) throw ProtocolError(ErrorCode::TooLarge, "field 'candidate' is longer than 1024 bytes");
  if (candidate.rfind("a=", 0) == 0) candidate.erase(0, 2);
  EchoHost* host = session.host;
  session.worker->post([host, candidate = std::move(candidate), requestId = request.id] {
    host->addCandidate(candidate, requestId);
  });
  return std::nullopt;  // answered by onCandidateResult
}

std::optional<nlohmann::json> EchoService::stop(protocol::Connection& connection, const protocol::Request& request) {
  find(connection, request);
  destroy(sessions_.find(request.requireString("session")));
  return nlohmann::json::object();
}

void EchoService::onClose(protocol::Connection& connection) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto next = std::next(it);
    if (it->second.connection == &connection) destroy(it);
    it = next;
  }
}

void EchoService::destroy(std::map<std::string, Session>::iterator it) {
  media::Worker& worker = *it->second.worker;
  EchoHost* host = it->second.host;
  // The host is deleted on its own worker; if the worker has stopped, no task of it can run any
  // more and deleting here is safe.
  if (!worker.post([host] { delete host; })) delete host;
  engine_.workers().release(worker);
  sessions_.erase(it);
}

void EchoService::onAnswer(const std::string& id, const nlohmann::json& requestId, const std::string& sdp) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;  // the peer left before the answer was ready
  it->second.connection->send(protocol::makeReply(requestId, {{"session", id}, {"sdp", sdp}}));
}

void EchoService::onFailure(const std::string& id, const nlohmann::json& requestId, const std::string& message) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  spdlog::info("echo {} refused: {}", id, message);
  it->second.connection->send(protocol::makeError(requestId, ErrorCode::SdpRejected, message));
  destroy(it);
}

void EchoService::onCandidate(const std::string& id, const std::string& candidate, const std::string& mid) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  it->second.connection->send(protocol::makeEvent(
      "echo.candidate", {{"session", id}, {"candidate", candidate}, {"sdpMid", mid}, {"sdpMLineIndex", 0}}));
}

void EchoService::onCandidateResult(const std::string& id, const nlohmann::json& requestId, bool accepted) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  it->second.connection->send(accepted ? protocol::makeReply(requestId)
                                       : protocol::makeError(requestId, ErrorCode::BadRequest,
                                                             "field 'candidate' is not a valid ICE candidate"));
}

void EchoService::onClosed(const std::string& id, const std::string& reason) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  it->second.connection->send(protocol::makeEvent("echo.closed", {{"session", id}, {"reason", reason}}));
  destroy(it);
}

}  // namespace diemcau::signaling::echo
