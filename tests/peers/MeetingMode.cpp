#include "tests/peers/MeetingMode.hpp"

#include "tests/peers/MainContextInvoke.hpp"
#include "tests/peers/SdpSections.hpp"

#include <spdlog/spdlog.h>

namespace diemcau::peers {

using nlohmann::json;

namespace {

std::int64_t unixMsNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> midsOf(const std::string& sdp) {
  std::vector<std::string> mids;
  for (const SdpSection& s : readSdpSections(sdp)) {
    mids.push_back(s.mid);
  }
  return mids;
}

/// Events after which the server closes the connection on purpose.
bool isFarewell(const std::string& type) {
  return type == "removed" || type == "meeting.ended" || type == "session.replaced";
}

}  // namespace

MeetingMode::MeetingMode(GMainContext* context, const PeerOptions& options, PeerMode::Listener& listener)
    : context_(context),
      options_(options),
      listener_(listener),
      subscriber_(context, static_cast<SubscribePipeline::Listener&>(*this), counters_, timeline_) {
  subscriber_.setIcePorts(options_.icePortMin, options_.icePortMax);
  subscriber_.setLatencyMs(options_.jitterLatencyMs);
  subscriber_.setRenderAtPlayout(options_.renderAtPlayout);
  subscriber_.setPromptFeedback(options_.promptFeedback);
  subscriber_.setKeyframeWatchdog(options_.keyframeWatchdog);
  subscriber_.setIceAddress(options_.iceAddress);
  if (!options_.actionsPath.empty()) {
    actions_ = readActionScript(options_.actionsPath);  // a bad script is a usage error, before any traffic
  }
  for (const TimedAction& a : actions_) {
    actionResults_.push_back({{"line", a.text}, {"type", a.request["type"]}, {"sent_ms", nullptr}});
  }
  actionSources_.assign(actions_.size(), 0);
  makePublisher();
}

void MeetingMode::makePublisher() {
  if (options_.roleHint != "viewer" && role_ != "viewer" && (options_.publishVideo || options_.publishAudio)) {
    PublishPipeline::Options publish;
    publish.video = options_.publishVideo;
    publish.audio = options_.publishAudio;
    publish.audioFrequencyHz = options_.audioFrequencyHz;
    publish.audioVolume = options_.audioVolume;
    publish.audioLevels = options_.audioLevels;
    publish.videoFps = options_.videoFps;
    publish.icePortMin = options_.icePortMin;
    publish.icePortMax = options_.icePortMax;
    publish.iceAddress = options_.iceAddress;
    publisher_ = std::make_unique<PublishPipeline>(context_, static_cast<PublishPipeline::Listener&>(*this), publish);
  }
}

MeetingMode::~MeetingMode() { stop(); }

void MeetingMode::start() {
  if (options_.certificateFirst) {
    const auto certificate = prepareDtlsCertificate();
    spdlog::info("DTLS certificate ready in {} ms", certificate.count());
  }
  subscriber_.start();
  if (publisher_) {
    publisher_->start();
  }
  ws_ = std::make_unique<WsClient>(static_cast<WsClient::Listener&>(*this));
  ws_->connect(options_.url);
}

void MeetingMode::stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  if (reconnectSource_ != 0) {
    g_source_remove(reconnectSource_);
    reconnectSource_ = 0;
  }
  for (guint& source : actionSources_) {
    if (source != 0) {
      g_source_remove(source);
      source = 0;
    }
  }
  if (ws_) {
    if (wsOpen_ && joinedAt_ && !endedBy_ && !leaveSent_) {
      leaveSent_ = true;
      sendRequest({{"type", "leave"}});
    }
    ws_->close();  // flushes the leave, then joins the io thread
  }
  if (publisher_) {
    publisher_->stop();
  }
  subscriber_.stop();
}

std::int64_t MeetingMode::msSinceOpen(Clock::time_point at) const {
  if (!wsOpenedAt_) {
    return -1;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(at - *wsOpenedAt_).count();
}

void MeetingMode::fillReport(PeerReport& report) const {
  report.videoFramesDecoded = counters_.totalVideoFrames();
  report.audioSamplesDecoded = counters_.totalAudioSamples();
  report.audioSampleRate = counters_.anyAudioRate();
  if (const auto first = counters_.firstVideoAt(); first && wsOpenedAt_) {
    report.firstVideoMs = msSinceOpen(*first);
  }
  report.iceState = subscriber_.iceConnectionState();
  report.connectionState = subscriber_.connectionState();
  report.errors.insert(report.errors.end(), errors_.begin(), errors_.end());
  report.details = {
      {"reconnects", reconnects_},
      {"mode", "join"},
      {"participant", participantId_},
      {"role", role_},
      {"ws_open_unix_ms", wsOpenedUnixMs_},
      {"join_ms", joinedAt_ ? json(msSinceOpen(*joinedAt_)) : json(nullptr)},
      {"join_timeline", timeline_.toJson()},
      {"join_error", joinError_},
      {"initial_participants", initialRoom_},
      {"initial_speaker", initialSpeaker_},
      {"remotes", counters_.toJson()},
      {"repairs", subscriber_.repairsJson()},
      {"watchdog_keyframe_requests", subscriber_.watchdogKeyframeRequests()},
      {"events", events_},
      {"actions", actionResults_},
      {"ended_by", endedBy_ ? json(*endedBy_) : json(nullptr)},
      {"subscribe_offers_answered", offersAnswered_},
      {"candidate_events", candidateEvents_},
      {"publish",
       {{"sent", publishSent_},
        {"answered", publishAnswered_},
        {"ice_state", publisher_ ? publisher_->iceConnectionState() : "none"},
        {"connection_state", publisher_ ? publisher_->connectionState() : "none"}}}};
}

// --- WebSocket side ------------------------------------------------------------------------

void MeetingMode::onWsOpen() {
  const auto now = Clock::now();
  const std::int64_t unixMs = unixMsNow();
  const int generation = wsGeneration_.load();
  invokeOn(context_, [this, now, unixMs, generation] {
    if (generation != wsGeneration_.load()) {
      return;
    }
    wsOpen_ = true;
    if (!wsOpenedAt_) {  // times in the report count from the first connection
      wsOpenedAt_ = now;
      wsOpenedUnixMs_ = unixMs;
      counters_.setOrigin(now);
      timeline_.setOrigin(now);
      timeline_.mark("ws_open", now);
    }
    spdlog::info("connected to {}; joining", options_.url);
    json join = {{"type", "join"}, {"token", options_.token}};
    if (reconnecting_) {
      join["resume"] = true;
    }
    if (!options_.displayName.empty()) {
      join["displayName"] = options_.displayName;
    }
    sendRequest(std::move(join));
  });
}

void MeetingMode::onWsMessage(std::string text) {
  const int generation = wsGeneration_.load();
  invokeOn(context_, [this, text = std::move(text), generation] {
    if (generation == wsGeneration_.load()) {
      handleMessage(text);
    }
  });
}

void MeetingMode::onWsClosed(std::string reason) {
  const int generation = wsGeneration_.load();
  invokeOn(context_, [this, reason = std::move(reason), generation] {
    if (generation != wsGeneration_.load()) {
      return;  // a connection given up on purpose
    }
    wsOpen_ = false;
    if (stopped_) {
      return;
    }
    events_.push_back({{"type", "ws.closed"}, {"reason", reason}, {"ms", msSinceOpen(Clock::now())},
                       {"unix_ms", unixMsNow()}});
    if (endedBy_ || leaveSent_) {
      if (!endedBy_) {
        endedBy_ = "left";
      }
      spdlog::info("the server closed the connection after '{}'", *endedBy_);
      listener_.onModeFinished(*endedBy_);
      return;
    }
    if (options_.reconnect) {
      scheduleReconnect("signaling connection lost: " + reason);
      return;
    }
    fail("signaling connection lost: " + reason);
  });
}

void MeetingMode::handleMessage(const std::string& text) {
  const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) {
    errors_.push_back("server sent a message without a type: " + text.substr(0, 200));
    return;
  }
  const std::string type = message["type"].get<std::string>();
  if (type == "reply") {
    handleReply(message);
  } else {
    handleEvent(type, message);
  }
}

void MeetingMode::handleReply(const json& message) {
  const int id = message.contains("id") && message["id"].is_number_integer() ? message["id"].get<int>() : -1;
  const auto it = pending_.find(id);
  if (it == pending_.end()) {
    errors_.push_back("reply to unknown request id " + message.value("id", json()).dump());
    return;
  }
  const PendingRequest request = it->second;
  pending_.erase(it);
  const bool ok = message.value("ok", false);
  const json error = ok ? json(nullptr) : message.value("error", json::object());
  if (request.action) {
    json& result = actionResults_[*request.action];
    result["ok"] = ok;
    result["error"] = error;
    result["reply_ms"] = msSinceOpen(Clock::now());
  }
  if (request.type == "join") {
    if (!ok) {
      joinError_ = error;
      fail("join refused: " + error.value("code", std::string("?")) + ": " +
           error.value("message", std::string("?")));
      return;
    }
    handleJoined(message);
    return;
  }
  if (!ok) {
    const std::string what = request.type + " failed: " + error.value("code", std::string("?")) + ": " +
                             error.value("message", std::string("?"));
    if (request.type == "publish") {
      fail(what);
    } else if (!request.action) {
      errors_.push_back(what);  // scripted requests report their own outcome
    }
    return;
  }
  if (request.type == "publish") {
    timeline_.mark("pub.answer_received");
    try {
      publisher_->setRemoteAnswer(message.value("sdp", std::string()));
    } catch (const std::invalid_argument& e) {
      fail(std::string("publish answer: ") + e.what());
      return;
    }
    publishAnswered_ = true;
    for (const HeldCandidate& c : heldPublish_) {
      sendCandidate("publish", publishMids_, c.mlineIndex, c.candidate);
    }
    heldPublish_.clear();
  }
}

void MeetingMode::handleJoined(const json& message) {
  if (reconnecting_) {
    reconnecting_ = false;
    const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - *reconnectSince_);
    reconnectSince_.reset();
    spdlog::info("joined again (resumed: {}) {} ms after the link was lost", message.value("resumed", false),
                 gap.count());
    events_.push_back({{"type", "reconnect.joined"}, {"resumed", message.value("resumed", false)},
                       {"gap_ms", gap.count()}, {"video_frames_before", counters_.totalVideoFrames()},
                       {"ms", msSinceOpen(Clock::now())}, {"unix_ms", unixMsNow()}});
    maybePublish();
    return;
  }
  joinedAt_ = Clock::now();
  timeline_.mark("join_reply", *joinedAt_);
  const json participant = message.value("participant", json::object());
  participantId_ = participant.value("id", std::string());
  role_ = participant.value("role", std::string());
  initialSpeaker_ = message.value("speaker", json(nullptr));
  initialRoom_ = json::array();
  for (const json& p : message.value("participants", json::array())) {
    if (p.is_object()) {
      initialRoom_.push_back(p.value("id", std::string()));
    }
  }
  spdlog::info("joined as {} ({}) after {} ms", participantId_, role_, msSinceOpen(*joinedAt_));
  if (!options_.roleHint.empty() && role_ != options_.roleHint) {
    fail("joined as " + role_ + ", expected " + options_.roleHint);
    return;
  }
  if (role_ == "viewer" && publisher_) {
    publisher_->stop();
    publisher_.reset();
  }
  maybePublish();
  armActions();
}

void MeetingMode::handleEvent(const std::string& type, const json& message) {
  if (type == "candidate") {
    ++candidateEvents_;
    handleRemoteCandidate(message);
    return;
  }
  json record = message;
  record.erase("sdp");  // the version says enough; SDPs would drown the report
  record["ms"] = msSinceOpen(Clock::now());
  record["unix_ms"] = unixMsNow();
  events_.push_back(std::move(record));
  if (type == "subscribe.offer") {
    timeline_.mark("sub.offer_received");
    const auto version = message.value("version", std::int64_t{-1});
    if (version < 0 || !message.contains("sdp") || !message["sdp"].is_string()) {
      errors_.push_back("subscribe.offer without version or sdp");
      return;
    }
    try {
      subscriber_.applyOffer(static_cast<std::uint32_t>(version), message["sdp"].get<std::string>());
    } catch (const std::invalid_argument& e) {
      fail(std::string("subscribe.offer: ") + e.what());
    }
  } else if (isFarewell(type)) {
    endedBy_ = type;
  } else if (type == "media.lost" && options_.reconnect) {
    scheduleReconnect("the bridge lost our " + message.value("transport", std::string("?")) + " connection");
  }
}

void MeetingMode::handleRemoteCandidate(const json& message) {
  const std::string transport = message.value("transport", std::string());
  const std::string candidate = message.value("candidate", std::string());
  unsigned index = 0;
  if (message.contains("sdpMLineIndex") && message["sdpMLineIndex"].is_number_unsigned()) {
    index = message["sdpMLineIndex"].get<unsigned>();
  }
  if (transport == "subscribe") {
    subscriber_.addRemoteCandidate(index, candidate);
  } else if (transport == "publish") {
    if (publisher_) {
      publisher_->addRemoteCandidate(index, candidate);
    }
  } else {
    errors_.push_back("candidate event for unknown transport '" + transport + "'");
  }
}

int MeetingMode::sendRequest(json request, std::optional<std::size_t> action) {
  const int id = nextId_++;
  request["id"] = id;
  pending_[id] = PendingRequest{request["type"].get<std::string>(), action};
  ws_->send(request.dump());
  return id;
}

// --- scripted actions ----------------------------------------------------------------------

void MeetingMode::armActions() {
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    const auto delayMs = static_cast<guint>(actions_[i].atSeconds * 1000.0);
    actionSources_[i] = g_timeout_add_full(G_PRIORITY_DEFAULT, delayMs, onActionDue, new ActionTimer{this, i},
                                           [](gpointer t) { delete static_cast<ActionTimer*>(t); });
  }
}

gboolean MeetingMode::onActionDue(gpointer data) {
  auto* timer = static_cast<ActionTimer*>(data);
  timer->mode->actionSources_[timer->index] = 0;
  timer->mode->runAction(timer->index);
  return G_SOURCE_REMOVE;
}

void MeetingMode::runAction(std::size_t index) {
  if (!wsOpen_ || stopped_) {
    actionResults_[index]["error"] = "not sent: the connection is closed";
    return;
  }
  const TimedAction& action = actions_[index];
  spdlog::info("action: {}", action.text);
  actionResults_[index]["sent_ms"] = msSinceOpen(Clock::now());
  actionResults_[index]["sent_unix_ms"] = unixMsNow();
  if (action.request["type"] == "leave") {
    leaveSent_ = true;
  }
  sendRequest(action.request, index);
}

// --- publish connection --------------------------------------------------------------------

void MeetingMode::onPublishOffer(std::string sdp) {
  timeline_.mark("pub.offer_created");
  publishMids_ = midsOf(sdp);
  publishOffer_ = std::move(sdp);
  maybePublish();
}

void MeetingMode::maybePublish() {
  // After a reconnect the new WebSocket must have joined again first (reconnecting_ clears then).
  if (publishSent_ || !publishOffer_ || !publisher_ || !joinedAt_ || !wsOpen_ || stopped_ || reconnecting_) {
    return;
  }
  publishSent_ = true;
  timeline_.mark("pub.offer_sent");
  sendRequest({{"type", "publish"}, {"sdp", *publishOffer_}});
}

void MeetingMode::onPublishCandidate(unsigned mlineIndex, std::string candidate) {
  if (!publishAnswered_) {
    heldPublish_.push_back({mlineIndex, std::move(candidate)});
    return;
  }
  sendCandidate("publish", publishMids_, mlineIndex, candidate);
}

void MeetingMode::onPublishGatheringComplete() { onPublishCandidate(0, std::string()); }

void MeetingMode::onPublishError(std::string message) { fail(std::move(message)); }

// --- subscribe connection ------------------------------------------------------------------

void MeetingMode::onSubscribeAnswer(std::uint32_t version, std::string sdp) {
  if (!wsOpen_ || stopped_) {
    return;
  }
  subscribeMids_ = midsOf(sdp);
  sendRequest({{"type", "subscribe.answer"}, {"version", version}, {"sdp", std::move(sdp)}});
  timeline_.mark("sub.answer_sent");
  ++offersAnswered_;
  if (!subscribeAnswered_) {
    subscribeAnswered_ = true;
    for (const HeldCandidate& c : heldSubscribe_) {
      sendCandidate("subscribe", subscribeMids_, c.mlineIndex, c.candidate);
    }
    heldSubscribe_.clear();
  }
}

void MeetingMode::onSubscribeCandidate(unsigned mlineIndex, std::string candidate) {
  if (!subscribeAnswered_) {
    heldSubscribe_.push_back({mlineIndex, std::move(candidate)});
    return;
  }
  sendCandidate("subscribe", subscribeMids_, mlineIndex, candidate);
}

void MeetingMode::onSubscribeGatheringComplete() { onSubscribeCandidate(0, std::string()); }

void MeetingMode::onSubscribeError(std::string message) { fail(std::move(message)); }

void MeetingMode::sendCandidate(const char* transport, const std::vector<std::string>& mids, unsigned mlineIndex,
                                const std::string& candidate) {
  if (!wsOpen_ || stopped_ || endedBy_) {
    return;
  }
  if (!candidate.empty()) {
    timeline_.mark(std::string(transport) + ".first_candidate_sent");
  }
  json request = {{"type", "candidate"}, {"transport", transport}, {"candidate", candidate}};
  if (!candidate.empty()) {
    request["sdpMid"] = mlineIndex < mids.size() ? mids[mlineIndex] : std::to_string(mlineIndex);
    request["sdpMLineIndex"] = mlineIndex;
  }
  sendRequest(std::move(request));
}

void MeetingMode::fail(std::string reason) {
  spdlog::error("{}", reason);
  errors_.push_back(reason);
  listener_.onModeFailed(errors_.back());
}

// --- reconnecting ---------------------------------------------------------------------------
//
// What a browser does after a cut: give up both connections and the WebSocket, then join again
// with resume:true (docs/PROTOCOL.md, "Resuming after a lost link") on new ones. Retried every
// second while the server cannot be reached or the new connections are lost again.

void MeetingMode::scheduleReconnect(const std::string& why) {
  if (stopped_ || endedBy_ || reconnectSource_ != 0) {
    return;
  }
  spdlog::warn("{}; reconnecting", why);
  if (!reconnectSince_) {
    reconnectSince_ = Clock::now();
  }
  events_.push_back({{"type", "reconnect.start"}, {"why", why}, {"ms", msSinceOpen(Clock::now())},
                     {"unix_ms", unixMsNow()}});
  reconnecting_ = true;
  ++wsGeneration_;  // whatever the old WebSocket still reports is stale from now on
  if (ws_) {
    ws_->close();
  }
  wsOpen_ = false;
  pending_.clear();
  if (publisher_) {
    publisher_->stop();
    publisher_.reset();
  }
  subscriber_.stop();
  publishOffer_.reset();
  publishSent_ = false;
  publishAnswered_ = false;
  heldPublish_.clear();
  subscribeAnswered_ = false;
  heldSubscribe_.clear();
  reconnectSource_ = g_timeout_add_full(G_PRIORITY_DEFAULT, 1000, onReconnectDue, this, nullptr);
}

gboolean MeetingMode::onReconnectDue(gpointer self) {
  auto* mode = static_cast<MeetingMode*>(self);
  mode->reconnectSource_ = 0;
  mode->reconnect();
  return G_SOURCE_REMOVE;
}

void MeetingMode::reconnect() {
  if (stopped_) {
    return;
  }
  ++reconnects_;
  ++wsGeneration_;
  try {
    subscriber_.start();
    makePublisher();
    if (publisher_) {
      publisher_->start();
    }
  } catch (const std::exception& e) {
    fail(std::string("reconnect: ") + e.what());
    return;
  }
  ws_ = std::make_unique<WsClient>(static_cast<WsClient::Listener&>(*this));
  ws_->connect(options_.url);
}

}  // namespace diemcau::peers
