#include "tools/load/JanusSignaling.hpp"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

namespace diemcau::load {

using json = nlohmann::json;

JanusSignaling::JanusSignaling(boost::asio::io_context& io, std::string host, std::string port, uint64_t room,
                               std::string display, bool publisher, std::shared_ptr<std::atomic<uint64_t>> hallFeed)
    : io_(io),
      host_(std::move(host)),
      port_(std::move(port)),
      room_(room),
      display_(std::move(display)),
      publisher_(publisher),
      hallFeed_(std::move(hallFeed)) {}

void JanusSignaling::start(std::weak_ptr<SiteSignaling::Listener> listener) {
  listener_ = std::move(listener);
  ws_ = WsConnection::create(io_, weak_from_this(), "janus-protocol");
  ws_->connect(host_, port_, "/");
}

void JanusSignaling::send(const std::string& janus, const std::string& transaction, const std::string& extra) {
  // `extra` is a JSON object whose fields join the envelope.
  json message = extra.empty() ? json::object() : json::parse(extra);
  message["janus"] = janus;
  message["transaction"] = transaction;
  if (session_ != 0) message["session_id"] = session_;
  if (handle_ != 0 && janus != "attach" && janus != "destroy") message["handle_id"] = handle_;
  ws_->send(message.dump());
}

void JanusSignaling::onWsOpen() { send("create", "create", ""); }

void JanusSignaling::publish(const std::string& offerSdp) {
  boost::asio::post(io_, [self = shared_from_this(), offerSdp] {
    const json extra{{"body", {{"request", "configure"}, {"audio", true}, {"video", true}}},
                     {"jsep", {{"type", "offer"}, {"sdp", offerSdp}}}};
    self->send("message", "publish", extra.dump());
    self->send("trickle", "trickle", json{{"candidate", {{"completed", true}}}}.dump());
  });
}

void JanusSignaling::answerSubscribe(uint32_t, const std::string& answerSdp) {
  boost::asio::post(io_, [self = shared_from_this(), answerSdp] {
    const json extra{{"body", {{"request", "start"}}}, {"jsep", {{"type", "answer"}, {"sdp", answerSdp}}}};
    self->send("message", "start", extra.dump());
    self->send("trickle", "trickle", json{{"candidate", {{"completed", true}}}}.dump());
  });
}

void JanusSignaling::leave() {
  boost::asio::post(io_, [self = shared_from_this()] {
    if (self->leaving_ || !self->ws_) return;
    self->leaving_ = true;
    if (self->session_ != 0) self->send("destroy", "destroy", "");
    self->ws_->close();
  });
}

void JanusSignaling::onWsMessage(std::string text) {
  auto listener = listener_.lock();
  if (!listener) return;
  const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object()) return;
  const std::string janus = message.value("janus", "");
  const std::string transaction = message.value("transaction", "");
  if (janus == "error") {
    return fail("Janus error: " + message.value("error", json::object()).dump());
  }
  if (janus == "success" && transaction == "create") {
    session_ = message.at("data").at("id").get<uint64_t>();
    send("attach", "attach", json{{"plugin", "janus.plugin.videoroom"}}.dump());
    return;
  }
  if (janus == "success" && transaction == "attach") {
    handle_ = message.at("data").at("id").get<uint64_t>();
    json body{{"request", "join"}, {"room", room_}};
    if (publisher_) {
      body["ptype"] = "publisher";
      body["display"] = display_;
    } else {
      body["ptype"] = "subscriber";
      body["streams"] = json::array({json{{"feed", hallFeed_->load()}}});
    }
    send("message", "join", json{{"body", body}}.dump());
    return;
  }
  if (janus == "hangup" && !leaving_) return fail("Janus hung up: " + message.value("reason", ""));
  if (janus != "event") return;
  const json data = message.value("plugindata", json::object()).value("data", json::object());
  if (data.contains("error")) return fail("videoroom: " + data.value("error", ""));
  const std::string what = data.value("videoroom", "");
  if (what == "joined" && publisher_) {
    hallFeed_->store(data.value("id", uint64_t{0}));
    listener->onJoined();
  } else if (what == "attached") {
    listener->onJoined();
  }
  if (message.contains("jsep")) {
    const json& jsep = message.at("jsep");
    if (jsep.value("type", "") == "answer") listener->onPublishAnswer(jsep.value("sdp", ""));
    if (jsep.value("type", "") == "offer") listener->onSubscribeOffer(++offers_, jsep.value("sdp", ""));
  }
}

void JanusSignaling::onWsClosed(std::string reason) {
  if (!leaving_) fail("WebSocket: " + reason);
}

void JanusSignaling::fail(const std::string& reason) {
  if (auto listener = listener_.lock()) listener->onSignalingFailed(reason);
}

}  // namespace diemcau::load
