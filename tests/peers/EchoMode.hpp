#pragma once

#include "tests/peers/PeerMode.hpp"
#include "tests/peers/PeerOptions.hpp"
#include "tests/peers/WebrtcPipeline.hpp"
#include "tests/peers/WsClient.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::peers {

/// The /ws echo service: offer our tracks, get them back.
///
///   -> echo.start {sdp}         <- reply {session, sdp}
///   -> candidate {session, ...} (trickled, then "" for end of candidates)
///   <- candidate events         -> echo.stop on the way out
///
/// Local candidates that appear before the session id is known are held back and flushed
/// with the reply, so the server never sees a candidate for a session it has not created.
class EchoMode final : public PeerMode, private WsClient::Listener, private WebrtcPipeline::Listener {
 public:
  EchoMode(GMainContext* context, const PeerOptions& options, PeerMode::Listener& listener);
  ~EchoMode() override;

  void start() override;
  void stop() override;
  void fillReport(PeerReport& report) const override;

 private:
  // WsClient::Listener (io thread; forwarded to the main context)
  void onWsOpen() override;
  void onWsMessage(std::string text) override;
  void onWsClosed(std::string reason) override;
  // WebrtcPipeline::Listener (main context)
  void onOfferCreated(std::string sdp) override;
  void onLocalCandidate(unsigned mlineIndex, std::string candidate) override;
  void onGatheringComplete() override;
  void onPipelineError(std::string message) override;

  void handleMessage(const std::string& text);
  void handleReply(const nlohmann::json& message);
  void handleRemoteCandidate(const nlohmann::json& message);
  void maybeSendOffer();
  void sendCandidate(unsigned mlineIndex, const std::string& candidate);
  int sendRequest(nlohmann::json request);
  void fail(std::string reason);
  std::string midOf(unsigned mlineIndex) const;

  struct PendingCandidate {
    unsigned mlineIndex;
    std::string candidate;  // empty: end of candidates
  };

  GMainContext* context_;
  const PeerOptions& options_;
  PeerMode::Listener& listener_;
  WebrtcPipeline pipeline_;
  std::unique_ptr<WsClient> ws_;

  bool wsOpen_ = false;
  bool wsClosed_ = false;
  bool stopped_ = false;
  std::optional<std::chrono::steady_clock::time_point> wsOpenedAt_;
  std::optional<std::string> offer_;
  bool offerSent_ = false;
  std::vector<std::string> mids_;  // by m-line index, from our offer
  std::string session_;
  std::vector<PendingCandidate> heldCandidates_;
  int nextId_ = 1;
  std::map<int, std::string> pending_;  // request id -> request type
  std::vector<std::string> errors_;
};

}  // namespace diemcau::peers
