#pragma once
// The signaling thread's handle on one meeting's bridge::Room.
//
//   MeetingService ──calls──▶ RoomPort ──post──▶ media worker: bridge::Room
//   MeetingService ◀─Events── RoomPort ◀─post─── Room::Listener / completion callbacks
//
// The meeting logic talks only to this interface, so it is tested with a fake port and no media;
// WorkerRoomPort is the real one.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bridge/room/RoomTypes.hpp"
#include "media/recorder/RtpSink.hpp"
#include "signaling/protocol/ErrorCode.hpp"

namespace diemcau::signaling::meeting {

/// Every method is called on the signaling thread and returns at once. Completions and Events arrive on
/// the signaling thread, never from inside a call (so a reply is always sent before what it causes),
/// and never after the port is destroyed.
class RoomPort {
 public:
  struct Error {
    protocol::ErrorCode code = protocol::ErrorCode::Internal;
    std::string message;
  };
  using Done = std::function<void(std::optional<Error> error)>;
  using AnswerDone = std::function<void(std::string answerSdp, std::optional<Error> error)>;

  /// What the room reports; see bridge::Room::Listener for the meaning of each call.
  class Events {
   public:
    virtual ~Events() = default;
    virtual void onTrackAdded(const bridge::TrackInfo& track) = 0;
    virtual void onTrackRemoved(const bridge::TrackInfo& track) = 0;
    virtual void onSubscriberOffer(const std::string& participantId, uint32_t version, const std::string& sdp) = 0;
    virtual void onLocalCandidate(const std::string& participantId, bridge::TransportKind transport,
                                  const std::string& candidate, const std::string& mid) = 0;
    virtual void onTransportFailed(const std::string& participantId, bridge::TransportKind transport,
                                   const std::string& reason) = 0;
    /// A failed connection is up again after an ICE restart.
    virtual void onTransportRecovered(const std::string& /*participantId*/, bridge::TransportKind /*transport*/) {}
    /// The counters of every participant of the room, sampled on the worker about every two seconds.
    virtual void onStats(const std::vector<bridge::ParticipantStats>& /*stats*/,
                         std::chrono::steady_clock::time_point /*sampledAt*/) {}
    /// The room's dominant speaker changed (bridge::Room::Listener::onDominantSpeaker).
    virtual void onDominantSpeaker(const std::optional<std::string>& /*participantId*/,
                                   const std::vector<std::string>& /*active*/) {}
  };

  virtual ~RoomPort() = default;

  virtual void addParticipant(const bridge::ParticipantInfo& participant) = 0;
  virtual void removeParticipant(const std::string& participantId) = 0;
  virtual void publish(const std::string& participantId, const std::string& offerSdp, AnswerDone done) = 0;
  virtual void subscriberAnswer(const std::string& participantId, uint32_t version, const std::string& sdp,
                                Done done) = 0;
  virtual void addRemoteCandidate(const std::string& participantId, bridge::TransportKind transport,
                                  const std::string& candidate, Done done) = 0;
  virtual void setRoutingState(const bridge::RoutingState& state) = 0;
  /// Restarts ICE on the participant's subscribe connection; a subscriber offer follows.
  virtual void restartSubscribeIce(const std::string& /*participantId*/, Done done) {
    done(Error{protocol::ErrorCode::Internal, "this room cannot restart ICE"});
  }

  /// Where a recording takes one track's packets (media/recorder/RtpSink.hpp).
  struct RecorderTap {
    std::string trackId;
    media::recorder::RtpSink* sink = nullptr;
  };
  /// Hands the tracks' forwarded packets to the sinks, on the worker. Each sink must stay alive until
  /// the `detached` of a later detachRecorder has run. A port without media ignores it.
  virtual void attachRecorder(const std::vector<RecorderTap>& /*taps*/) {}
  /// Stops handing packets to the sinks; `detached` then runs on the worker (so after every packet the
  /// worker gave them), or at once when there is no worker. It must not block.
  virtual void detachRecorder(const std::vector<RecorderTap>& /*taps*/, std::function<void()> detached) {
    detached();
  }
  /// Asks the publisher of the track for a keyframe (a recording waits for one).
  virtual void requestKeyframe(const std::string& /*trackId*/) {}
  /// The participant shows `trackId` `height` pixels tall (0: no limit; Room::setVideoSize).
  virtual void setVideoSize(const std::string& /*participantId*/, const std::string& /*trackId*/,
                            uint16_t /*height*/) {}
};

/// Makes the room of a meeting when its first participant joins.
class RoomPortFactory {
 public:
  virtual ~RoomPortFactory() = default;
  /// `events` outlives the returned port.
  virtual std::unique_ptr<RoomPort> create(const std::string& meetingId, RoomPort::Events& events) = 0;
};

/// The bridge's error code strings ("sdp_rejected", "not_found", ...) as protocol codes.
protocol::ErrorCode errorCodeFromBridge(std::string_view code);

}  // namespace diemcau::signaling::meeting
