#pragma once
// A meeting's media on one worker: participants, their publish and subscribe connections, the
// tracks they publish, and the downstream tracks that forward them.
//
//   publisher ─► WebRtcTransport(publish) ─► PublishedTrack ─┬─► DownTrack ─► WebRtcTransport(subscribe) ─► site A
//                                                            └─► DownTrack ─► WebRtcTransport(subscribe) ─► site B
//
// Routing policy (who receives what, bridge/room/RoutingPolicy):
//   - audio: everyone hears everyone else whose audio is not muted by the chair; in a large meeting
//     only the K best-ranked speakers besides hosts and floor holder (audio last-N);
//   - video: hosts receive every participant's video; sites and viewers receive the hosts' video,
//     the floor holder's, the spotlighted participant's and the N most recent dominant speakers'.
// Speaker detection (bridge/room/SpeakerDetector) runs on the room's 100 ms tick from the audio
// levels the published tracks collect.
// Viewers publish nothing (a publish offer from a viewer is refused by the signaling layer).
//
// Threading: constructed, used and destroyed on its worker. Every method, every Listener call and
// every completion callback runs on that worker's thread. Methods never block.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/room/RoomTypes.hpp"
#include "media/recorder/RtpSink.hpp"
#include "media/sdp/SessionDescription.hpp"
#include "media/transport/MediaEngine.hpp"

namespace diemcau::bridge {

class Room {
 public:
  /// Events for the signaling thread; implementations post them there. Must not call back into the
  /// Room synchronously.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onTrackAdded(const TrackInfo& track) = 0;
    virtual void onTrackRemoved(const TrackInfo& track) = 0;
    /// A new offer for the participant's subscribe connection (the first as soon as there is a track
    /// for it to receive, then after each change of what it receives). Versions increase; at most one offer is
    /// outstanding per participant: changes made meanwhile produce one new offer after the answer.
    /// The description is never changed after this call, so the listener may write its text
    /// (media::sdp::writeSdp) on another thread: for a large meeting that is the costliest part.
    virtual void onSubscriberOffer(const std::string& participantId, uint32_t version,
                                   std::shared_ptr<const media::sdp::SessionDescription> offer) = 0;
    virtual void onLocalCandidate(const std::string& participantId, TransportKind transport,
                                  const std::string& candidate, const std::string& mid) = 0;
    /// A connection failed (ICE consent lost, DTLS failure). The participant stays in the room until
    /// the signaling side removes it.
    virtual void onTransportFailed(const std::string& participantId, TransportKind transport,
                                   std::string_view reason) = 0;
    /// A failed connection is up again after an ICE restart (media flows with the same keys).
    virtual void onTransportRecovered(const std::string& /*participantId*/, TransportKind /*transport*/) {}
    /// The dominant speaker changed (bridge/room/SpeakerDetector): `participantId` is the new one,
    /// or empty after a long silence or when the speaker left; `active` lists who speaks now,
    /// loudest first.
    virtual void onDominantSpeaker(const std::optional<std::string>& participantId,
                                   const std::vector<std::string>& active) {
      (void)participantId;
      (void)active;
    }
  };

  /// Result of an operation that completes later: an error code of docs/PROTOCOL.md plus a sentence,
  /// or the value.
  struct Error {
    std::string code;  // "sdp_rejected", "not_found", "not_allowed"
    std::string message;
  };
  using AnswerCallback = std::function<void(std::string answerSdp, std::optional<Error> error)>;

  /// The room's monotonic time in microseconds: every rate limit, interval and estimate of it.
  using Clock = std::function<int64_t()>;

  /// A room on the steady clock, ticking by itself every 100 ms.
  Room(media::MediaEngine& engine, media::Worker& worker, std::string meetingId, Listener& listener);
  /// A room on `clock` that does not tick by itself: its owner steps the time and calls tick()
  /// (a test driving weak-link decisions through seconds of simulated time).
  Room(media::MediaEngine& engine, media::Worker& worker, std::string meetingId, Listener& listener, Clock clock);
  ~Room();
  Room(const Room&) = delete;
  Room& operator=(const Room&) = delete;

  const std::string& meetingId() const { return meetingId_; }

  /// Adds a participant and starts its subscribe connection (an onSubscriberOffer follows).
  /// A participant with the same id is replaced (its connections and tracks are removed first).
  void addParticipant(const ParticipantInfo& participant);
  /// Removes the participant, its connections and its tracks (onTrackRemoved for each).
  void removeParticipant(const std::string& participantId);

  /// The participant's publish offer (one audio and/or one video section, sendonly or sendrecv).
  /// `done` receives the answer, or an error; tracks are announced with onTrackAdded as the
  /// answer is made.
  void publish(const std::string& participantId, const std::string& offerSdp, AnswerCallback done);
  /// The participant's answer to subscriber offer `version`. Returns an error for an unknown
  /// participant, a stale version or an unusable answer.
  std::optional<Error> subscriberAnswer(const std::string& participantId, uint32_t version, const std::string& sdp);
  /// The same with the answer already parsed (media::sdp::parseSdp), off the worker.
  std::optional<Error> subscriberAnswer(const std::string& participantId, uint32_t version,
                                        const media::sdp::SessionDescription& answer);
  /// A trickled candidate for one of the participant's connections ("" = end of candidates).
  std::optional<Error> addRemoteCandidate(const std::string& participantId, TransportKind transport,
                                          const std::string& candidate);

  /// Restarts ICE on the participant's subscribe connection; a subscriber offer with new credentials
  /// follows. (The publish connection restarts when its publish offer carries new credentials.)
  std::optional<Error> restartSubscribeIce(const std::string& participantId);

  /// Floor, spotlight and chair mutes changed: re-evaluates routing (subscriptions change, a
  /// keyframe is requested for every newly routed video; muted audio is dropped on the bridge).
  void setRoutingState(const RoutingState& state);
  /// Last-N video for one subscriber: at most `lastN` recent speakers' video instead of
  /// RoutingState::videoLastN (nullopt goes back to it). The entry point for bandwidth-driven
  /// adaptation: a subscriber whose estimate cannot carry more video gets a smaller N.
  void setVideoLastN(const std::string& participantId, std::optional<unsigned> lastN);
  /// The subscriber shows track `trackId` `height` pixels tall (0: no limit): it gets no simulcast
  /// layer taller than needed. False when there is no such participant.
  bool setVideoSize(const std::string& participantId, const std::string& trackId, uint16_t height);

  std::vector<ParticipantStats> stats() const;
  /// The periodic work of one 100 ms tick (speaker detection, keyframe retries, bandwidth; RTCP
  /// reports on every tenth, for the first ten participants on the tenth, 20th, ...) at the room's
  /// clock's time. Only for a room made with its own clock (a room on the steady clock spreads the
  /// same work over ten 10 ms slices by itself).
  void tick();
  /// Whether the room's own timer runs: only while it has participants (never for a room on its
  /// own clock), so an empty room costs its worker no wake-ups.
  bool ticking() const;

  /// Recording: every forwarded packet of track `trackId` also goes to `sink` (PublishedTrack::
  /// setRecorderSink), and its publisher is asked for a keyframe so the file starts decodable.
  /// False when the room has no such track.
  bool setRecorderSink(const std::string& trackId, media::recorder::RtpSink* sink);
  /// Clears the track's sink if it is still `sink` (a newer track of the same id keeps its own).
  void clearRecorderSink(const std::string& trackId, media::recorder::RtpSink* sink);
  /// Asks the publisher of `trackId` for a keyframe (rate-limited like a subscriber's request).
  void requestKeyframe(const std::string& trackId);

 private:
  class Impl;
  std::string meetingId_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace diemcau::bridge
