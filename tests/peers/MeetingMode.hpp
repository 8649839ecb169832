#pragma once

#include "tests/peers/ActionScript.hpp"
#include "tests/peers/JoinTimeline.hpp"
#include "tests/peers/PeerMode.hpp"
#include "tests/peers/PeerOptions.hpp"
#include "tests/peers/PublishPipeline.hpp"
#include "tests/peers/ReceiveCounters.hpp"
#include "tests/peers/SubscribePipeline.hpp"
#include "tests/peers/WsClient.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::peers {

/// A meeting participant on /ws (docs/PROTOCOL.md, "Meetings"): one publish and one subscribe
/// connection, each its own webrtcbin.
///
///   -> join {token}                      <- reply {participant, meeting, participants, ...}
///   -> publish {sdp} (our offer)         <- reply {sdp}           webrtcbin "pub"
///   <- subscribe.offer {version, sdp}    -> subscribe.answer      webrtcbin "sub" (each renegotiation)
///   <-> candidate {transport, ...}       trickled both ways, routed by transport
///   <- participant.* / track.* / mute.changed / ... recorded with their arrival time
///   -> scripted requests (--actions)     -> leave on the way out
///
/// Local candidates wait until their connection's description has reached the server (the
/// publish reply, the first subscribe answer), so the server never sees one too early.
class MeetingMode final : public PeerMode,
                          private WsClient::Listener,
                          private PublishPipeline::Listener,
                          private SubscribePipeline::Listener {
 public:
  MeetingMode(GMainContext* context, const PeerOptions& options, PeerMode::Listener& listener);
  ~MeetingMode() override;

  void start() override;
  void stop() override;
  void fillReport(PeerReport& report) const override;

 private:
  using Clock = std::chrono::steady_clock;
  struct PendingRequest {
    std::string type;
    std::optional<std::size_t> action;  // index into actions_ for scripted requests
  };
  struct HeldCandidate {
    unsigned mlineIndex;
    std::string candidate;  // empty: end of candidates
  };
  struct ActionTimer {
    MeetingMode* mode;
    std::size_t index;
  };

  // WsClient::Listener (io thread; forwarded to the main context)
  void onWsOpen() override;
  void onWsMessage(std::string text) override;
  void onWsClosed(std::string reason) override;
  // PublishPipeline::Listener (main context)
  void onPublishOffer(std::string sdp) override;
  void onPublishCandidate(unsigned mlineIndex, std::string candidate) override;
  void onPublishGatheringComplete() override;
  void onPublishError(std::string message) override;
  // SubscribePipeline::Listener (main context)
  void onSubscribeAnswer(std::uint32_t version, std::string sdp) override;
  void onSubscribeCandidate(unsigned mlineIndex, std::string candidate) override;
  void onSubscribeGatheringComplete() override;
  void onSubscribeError(std::string message) override;

  void handleMessage(const std::string& text);
  void handleReply(const nlohmann::json& message);
  void handleJoined(const nlohmann::json& message);
  void handleEvent(const std::string& type, const nlohmann::json& message);
  void handleRemoteCandidate(const nlohmann::json& message);
  void maybePublish();
  void sendCandidate(const char* transport, const std::vector<std::string>& mids, unsigned mlineIndex,
                     const std::string& candidate);
  int sendRequest(nlohmann::json request, std::optional<std::size_t> action = std::nullopt);
  void armActions();
  void runAction(std::size_t index);
  static gboolean onActionDue(gpointer timer);
  std::int64_t msSinceOpen(Clock::time_point at) const;
  void fail(std::string reason);
  // Reconnecting (--reconnect): tear the connections down, then join again with resume:true.
  void makePublisher();
  void scheduleReconnect(const std::string& why);
  static gboolean onReconnectDue(gpointer self);
  void reconnect();

  GMainContext* context_;
  const PeerOptions& options_;
  PeerMode::Listener& listener_;
  ReceiveCounters counters_;
  JoinTimeline timeline_;  // the first join only: a reconnect's milestones are not a join's
  SubscribePipeline subscriber_;
  std::unique_ptr<PublishPipeline> publisher_;  // null when nothing is published
  std::unique_ptr<WsClient> ws_;
  std::atomic<int> wsGeneration_{0};  // which WsClient a forwarded callback came from
  bool reconnecting_ = false;
  guint reconnectSource_ = 0;
  int reconnects_ = 0;
  std::optional<Clock::time_point> reconnectSince_;  // first loss of the current outage

  bool wsOpen_ = false;
  bool stopped_ = false;
  bool leaveSent_ = false;
  std::optional<std::string> endedBy_;  // removed, meeting.ended, session.replaced, left
  std::optional<Clock::time_point> wsOpenedAt_;
  std::int64_t wsOpenedUnixMs_ = 0;
  std::optional<Clock::time_point> joinedAt_;
  std::string participantId_;
  std::string role_;
  nlohmann::json joinError_;       // {code, message} or null
  nlohmann::json initialRoom_;     // ids of those present at join
  nlohmann::json initialSpeaker_;  // the dominant speaker the join reply named (id or null)

  std::optional<std::string> publishOffer_;
  std::vector<std::string> publishMids_;
  bool publishSent_ = false;
  bool publishAnswered_ = false;
  std::vector<HeldCandidate> heldPublish_;

  std::vector<std::string> subscribeMids_;  // from our latest answer
  bool subscribeAnswered_ = false;
  std::vector<HeldCandidate> heldSubscribe_;
  std::uint32_t offersAnswered_ = 0;

  std::vector<TimedAction> actions_;
  nlohmann::json actionResults_ = nlohmann::json::array();  // parallel to actions_
  std::vector<guint> actionSources_;
  int nextId_ = 1;
  std::map<int, PendingRequest> pending_;
  nlohmann::json events_ = nlohmann::json::array();
  std::uint64_t candidateEvents_ = 0;
  std::vector<std::string> errors_;
};

}  // namespace diemcau::peers
