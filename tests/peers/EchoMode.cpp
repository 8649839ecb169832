#include "tests/peers/EchoMode.hpp"

#include "tests/peers/MainContextInvoke.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace diemcau::peers {

using nlohmann::json;

EchoMode::EchoMode(GMainContext* context, const PeerOptions& options, PeerMode::Listener& listener)
    : context_(context),
      options_(options),
      listener_(listener),
      pipeline_(context, *this, options.videoCodec) {}

EchoMode::~EchoMode() { stop(); }

void EchoMode::start() {
  pipeline_.start();
  ws_ = std::make_unique<WsClient>(static_cast<WsClient::Listener&>(*this));
  ws_->connect(options_.url);
}

void EchoMode::stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  if (ws_) {
    if (wsOpen_ && !session_.empty()) {
      sendRequest({{"type", "echo.stop"}, {"session", session_}});
    }
    ws_->close();  // flushes echo.stop, then joins the io thread
  }
  pipeline_.stop();
}

void EchoMode::fillReport(PeerReport& report) const {
  const WebrtcPipeline::Stats stats = pipeline_.stats();
  report.videoFramesDecoded = stats.videoFrames;
  report.audioSamplesDecoded = stats.audioSamples;
  report.audioSampleRate = stats.audioRate;
  if (stats.firstVideoAt && wsOpenedAt_) {
    report.firstVideoMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(*stats.firstVideoAt - *wsOpenedAt_)
            .count();
  }
  report.iceState = pipeline_.iceConnectionState();
  report.connectionState = pipeline_.connectionState();
  report.errors.insert(report.errors.end(), errors_.begin(), errors_.end());
}

// --- WebSocket side ------------------------------------------------------------------------

void EchoMode::onWsOpen() {
  const auto now = std::chrono::steady_clock::now();
  invokeOn(context_, [this, now] {
    wsOpen_ = true;
    wsOpenedAt_ = now;
    spdlog::info("connected to {}", options_.url);
    maybeSendOffer();
  });
}

void EchoMode::onWsMessage(std::string text) {
  invokeOn(context_, [this, text = std::move(text)] { handleMessage(text); });
}

void EchoMode::onWsClosed(std::string reason) {
  invokeOn(context_, [this, reason = std::move(reason)]() mutable {
    wsOpen_ = false;
    wsClosed_ = true;
    if (!stopped_) {
      fail("signaling connection lost: " + reason);
    }
  });
}

void EchoMode::handleMessage(const std::string& text) {
  const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) {
    errors_.push_back("server sent a message without a type: " + text.substr(0, 200));
    return;
  }
  const std::string type = message["type"].get<std::string>();
  if (type == "reply") {
    handleReply(message);
  } else if (type == "echo.candidate") {
    handleRemoteCandidate(message);
  } else if (type == "echo.closed" && message.value("session", std::string()) == session_) {
    fail("server closed the echo: " + message.value("reason", std::string("no reason given")));
  } else {
    spdlog::debug("ignoring server event '{}'", type);  // newer servers may send more
  }
}

void EchoMode::handleReply(const json& message) {
  const int id = message.value("id", -1);
  const auto it = pending_.find(id);
  if (it == pending_.end()) {
    errors_.push_back("reply to unknown request id " + std::to_string(id));
    return;
  }
  const std::string request = it->second;
  pending_.erase(it);
  if (!message.value("ok", false)) {
    const json error = message.value("error", json::object());
    const std::string what = request + " failed: " + error.value("code", std::string("?")) + ": " +
                             error.value("message", std::string("?"));
    if (request == "echo.start") {
      fail(what);
    } else {
      errors_.push_back(what);
    }
    return;
  }
  if (request != "echo.start") {
    return;
  }
  session_ = message.value("session", std::string());
  const std::string answer = message.value("sdp", std::string());
  if (session_.empty() || answer.empty()) {
    fail("echo.start reply lacks session or sdp");
    return;
  }
  try {
    pipeline_.setRemoteAnswer(answer);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
    return;
  }
  spdlog::info("echo session {} answered", session_);
  for (const PendingCandidate& c : heldCandidates_) {
    sendCandidate(c.mlineIndex, c.candidate);
  }
  heldCandidates_.clear();
}

void EchoMode::handleRemoteCandidate(const json& message) {
  if (message.contains("session") && message.value("session", std::string()) != session_) {
    return;  // belongs to a session we no longer have
  }
  const std::string candidate = message.value("candidate", std::string());
  unsigned index = 0;
  if (message.contains("sdpMLineIndex") && message["sdpMLineIndex"].is_number_unsigned()) {
    index = message["sdpMLineIndex"].get<unsigned>();
  } else if (message.contains("sdpMid") && message["sdpMid"].is_string()) {
    const std::string mid = message["sdpMid"].get<std::string>();
    for (unsigned i = 0; i < mids_.size(); ++i) {
      if (mids_[i] == mid) {
        index = i;
      }
    }
  }
  if (index >= mids_.size()) {
    errors_.push_back("server candidate for m-line " + std::to_string(index) + " we did not offer");
    return;
  }
  pipeline_.addRemoteCandidate(index, candidate);
}

int EchoMode::sendRequest(json request) {
  const int id = nextId_++;
  request["id"] = id;
  pending_[id] = request["type"].get<std::string>();
  ws_->send(request.dump());
  return id;
}

// --- webrtcbin side ------------------------------------------------------------------------

void EchoMode::onOfferCreated(std::string sdp) {
  // a=mid lines in m-line order give the sdpMid of each trickled candidate.
  std::istringstream lines(sdp);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.rfind("m=", 0) == 0) {
      mids_.emplace_back();
    } else if (line.rfind("a=mid:", 0) == 0 && !mids_.empty()) {
      mids_.back() = line.substr(6);
    }
  }
  if (!options_.saveOfferPath.empty()) {
    std::ofstream out(options_.saveOfferPath, std::ios::binary);
    out << sdp;
    if (!out) {
      errors_.push_back("cannot write the offer to " + options_.saveOfferPath);
    }
  }
  offer_ = std::move(sdp);
  maybeSendOffer();
}

void EchoMode::maybeSendOffer() {
  if (offerSent_ || !offer_ || !wsOpen_ || stopped_) {
    return;
  }
  offerSent_ = true;
  sendRequest({{"type", "echo.start"}, {"sdp", *offer_}});
}

void EchoMode::onLocalCandidate(unsigned mlineIndex, std::string candidate) {
  if (session_.empty()) {
    heldCandidates_.push_back({mlineIndex, std::move(candidate)});
    return;
  }
  sendCandidate(mlineIndex, candidate);
}

void EchoMode::onGatheringComplete() { onLocalCandidate(0, std::string()); }

void EchoMode::sendCandidate(unsigned mlineIndex, const std::string& candidate) {
  if (!wsOpen_ || stopped_) {
    return;
  }
  json request = {{"type", "echo.candidate"}, {"session", session_}, {"candidate", candidate}};
  if (!candidate.empty()) {
    request["sdpMid"] = midOf(mlineIndex);
    request["sdpMLineIndex"] = mlineIndex;
  }
  sendRequest(std::move(request));
}

std::string EchoMode::midOf(unsigned mlineIndex) const {
  return mlineIndex < mids_.size() ? mids_[mlineIndex] : std::to_string(mlineIndex);
}

void EchoMode::onPipelineError(std::string message) { fail(std::move(message)); }

void EchoMode::fail(std::string reason) {
  spdlog::error("{}", reason);
  errors_.push_back(reason);
  listener_.onModeFailed(errors_.back());
}

}  // namespace diemcau::peers
