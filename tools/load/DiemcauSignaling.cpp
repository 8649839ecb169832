#include "tools/load/DiemcauSignaling.hpp"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

namespace diemcau::load {

namespace {
// Request ids: the join and the publish are told apart from answers that need no action.
constexpr int kJoinId = 1;
constexpr int kPublishId = 2;
}  // namespace

DiemcauSignaling::DiemcauSignaling(boost::asio::io_context& io, std::string host, std::string port, std::string token)
    : io_(io), host_(std::move(host)), port_(std::move(port)), token_(std::move(token)) {}

void DiemcauSignaling::start(std::weak_ptr<SiteSignaling::Listener> listener) {
  listener_ = std::move(listener);
  ws_ = WsConnection::create(io_, weak_from_this());
  ws_->connect(host_, port_, "/ws");
}

void DiemcauSignaling::onWsOpen() {
  nextId_ = kPublishId + 1;
  ws_->send(nlohmann::json{{"type", "join"}, {"id", kJoinId}, {"token", token_}}.dump());
}

void DiemcauSignaling::publish(const std::string& offerSdp) {
  ws_->send(nlohmann::json{{"type", "publish"}, {"id", kPublishId}, {"sdp", offerSdp}}.dump());
}

void DiemcauSignaling::answerSubscribe(uint32_t version, const std::string& answerSdp) {
  boost::asio::post(io_, [self = shared_from_this(), version, answerSdp] {
    self->ws_->send(nlohmann::json{{"type", "subscribe.answer"}, {"id", self->nextId_++}, {"version", version},
                                   {"sdp", answerSdp}}
                        .dump());
  });
}

void DiemcauSignaling::leave() {
  boost::asio::post(io_, [self = shared_from_this()] {
    if (self->leaving_ || !self->ws_) return;
    self->leaving_ = true;
    self->ws_->send(nlohmann::json{{"type", "leave"}, {"id", self->nextId_++}}.dump());
    self->ws_->close();
  });
}

void DiemcauSignaling::onWsMessage(std::string text) {
  auto listener = listener_.lock();
  if (!listener) return;
  const auto message = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object()) return;
  const std::string type = message.value("type", "");
  if (type == "reply") {
    const int id = message.value("id", 0);
    if (!message.value("ok", false)) {
      const auto& error = message.value("error", nlohmann::json::object());
      if (!leaving_) fail("request " + std::to_string(id) + " refused: " + error.dump());
      return;
    }
    if (id == kJoinId) {
      listener->onJoined();
    } else if (id == kPublishId) {
      listener->onPublishAnswer(message.value("sdp", ""));
    }
  } else if (type == "subscribe.offer") {
    listener->onSubscribeOffer(message.value("version", 0u), message.value("sdp", ""));
  } else if (type == "candidate") {
    const auto kind = message.value("transport", "") == "publish" ? ConnectionKind::Publish : ConnectionKind::Subscribe;
    listener->onRemoteCandidate(kind, message.value("candidate", ""));
  } else if (type == "meeting.ended" || type == "removed" || type == "session.replaced") {
    fail("the server sent " + type);
  }
}

void DiemcauSignaling::onWsClosed(std::string reason) {
  if (!leaving_) fail("WebSocket: " + reason);
}

void DiemcauSignaling::fail(const std::string& reason) {
  if (auto listener = listener_.lock()) listener->onSignalingFailed(reason);
}

}  // namespace diemcau::load
