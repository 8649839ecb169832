#include "bridge/room/Room.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "bridge/room/NtpTime.hpp"
#include "bridge/room/Participant.hpp"
#include "bridge/room/RoutingPolicy.hpp"
#include "bridge/room/SpeakerDetector.hpp"
#include "bridge/room/TickSchedule.hpp"
#include "media/worker/Timer.hpp"

namespace diemcau::bridge {

// Owns the participants (each owns its connections and tracks) and recomputes the routing tables
// (which downstream tracks exist) on every change of membership, tracks or routing state. Packets
// never pass through here: they go publish transport → PublishedTrack → DownTrack pointers.
class Room::Impl final : private Participant::Listener {
 public:
  Impl(media::MediaEngine& engine, media::Worker& worker, const std::string& meetingId,
       Room::Listener& listener, Room::Clock clock)
      : engine_(engine),
        worker_(worker),
        meetingId_(meetingId),
        listener_(listener),
        ownClock_(static_cast<bool>(clock)),
        clock_(ownClock_ ? std::move(clock) : Room::Clock(monotonicUs)),
        timer_(worker, [this] { tickSlice(); }) {}

  ~Impl() override {
    timer_.stop();
    // No renegotiation on the way out: each dying published track tells its downstream tracks,
    // each dying downstream track detaches from a source still alive.
    participants_.clear();
  }

  void addParticipant(const ParticipantInfo& info) {
    if (find(info.id) != nullptr) removeParticipant(info.id);
    participants_.push_back(
        std::make_unique<Participant>(engine_, worker_, info, static_cast<Participant::Listener&>(*this), clock_));
    participants_.back()->setTickSlot(schedule_.nextSlot());
    participants_.back()->start();
    // The slices run only while someone is in the room: an open meeting nobody joined yet wakes
    // its worker 100 times a second for nothing otherwise.
    if (!ownClock_ && !timer_.isActive()) timer_.start(kSliceInterval, kSliceInterval);
    // A newcomer publishes nothing yet, so no one else's routing changes: only what it receives
    // is worked out. A whole rebuild per join made a meeting's ramp-up O(participants^2 x tracks).
    routeSubscriber(*participants_.back());
  }

  void removeParticipant(const std::string& id) {
    const auto it = std::find_if(participants_.begin(), participants_.end(),
                                 [&](const auto& p) { return p->info().id == id; });
    if (it == participants_.end()) return;
    std::unique_ptr<Participant> leaving = std::move(*it);
    participants_.erase(it);
    if (participants_.empty()) timer_.stop();
    videoLastN_.erase(id);
    const bool wasDominant = speakers_.remove(id);
    activity_.audioRanking = speakers_.ranking();
    activity_.recentDominant = speakers_.recentDominant();
    // Notify, then destroy: the dying tracks tell their downstream tracks, the new routing drops them.
    const std::vector<TrackInfo> removed = leaving->clearPublished();
    leaving.reset();
    rebuildRouting();
    for (const auto& track : removed) listener_.onTrackRemoved(track);
    if (wasDominant) listener_.onDominantSpeaker(std::nullopt, speakers_.active());
  }

  void publish(const std::string& id, const std::string& offerSdp, AnswerCallback done) {
    Participant* participant = find(id);
    if (participant == nullptr) {
      done("", Error{"not_found", "no participant " + id + " in meeting " + meetingId_});
      return;
    }
    if (participant->info().role == Role::Viewer) {
      done("", Error{"not_allowed", "viewers do not publish"});
      return;
    }
    // New ICE credentials on the same connection: an ICE restart, the tracks stay.
    if (auto answer = participant->restartPublishIce(offerSdp)) {
      done(std::move(*answer), std::nullopt);
      return;
    }
    const std::vector<TrackInfo> replaced = participant->clearPublished();
    if (!replaced.empty()) {
      rebuildRouting();
      for (const auto& track : replaced) listener_.onTrackRemoved(track);
    }
    participant->publish(offerSdp, [this, id, done = std::move(done)](std::string answer, std::optional<Error> error) {
      Participant* publisher = error ? nullptr : find(id);
      if (publisher != nullptr) {
        for (const auto& track : publisher->publishedTracks()) listener_.onTrackAdded(track->info());
        routePublisher(*publisher);
      }
      done(std::move(answer), std::move(error));
    });
  }

  template <typename Answer>
  std::optional<Error> subscriberAnswer(const std::string& id, uint32_t version, const Answer& answer) {
    Participant* participant = find(id);
    if (participant == nullptr) return Error{"not_found", "no participant " + id + " in meeting " + meetingId_};
    return participant->subscriberAnswer(version, answer);
  }

  std::optional<Error> addRemoteCandidate(const std::string& id, TransportKind transport, const std::string& candidate) {
    Participant* participant = find(id);
    if (participant == nullptr) return Error{"not_found", "no participant " + id + " in meeting " + meetingId_};
    return participant->addRemoteCandidate(transport, candidate);
  }

  std::optional<Error> restartSubscribeIce(const std::string& id) {
    Participant* participant = find(id);
    if (participant == nullptr) return Error{"not_found", "no participant " + id + " in meeting " + meetingId_};
    return participant->restartSubscribeIce();
  }

  void setRoutingState(const RoutingState& state) {
    state_ = state;
    speakers_.setStickySlots(state_.audioLastN);
    rebuildRouting();
  }

  bool setVideoSize(const std::string& id, const std::string& trackId, uint16_t height) {
    Participant* participant = find(id);
    if (participant == nullptr) return false;
    participant->setVideoSize(trackId, height);
    return true;
  }

  void setVideoLastN(const std::string& id, std::optional<unsigned> lastN) {
    const auto current = videoLastN_.find(id);
    const std::optional<unsigned> before = current == videoLastN_.end() ? std::nullopt : std::optional(current->second);
    if (before == lastN || find(id) == nullptr) return;
    if (lastN) {
      videoLastN_[id] = *lastN;
    } else {
      videoLastN_.erase(id);
    }
    rebuildRouting();
  }

  std::vector<ParticipantStats> stats() const {
    std::vector<ParticipantStats> all;
    for (const auto& participant : participants_) all.push_back(participant->stats());
    return all;
  }

  PublishedTrack* findTrack(const std::string& trackId) const {
    for (const auto& participant : participants_) {
      for (const auto& track : participant->publishedTracks()) {
        if (track->info().id == trackId) return track.get();
      }
    }
    return nullptr;
  }

  int64_t now() const { return clock_(); }
  bool ticking() const { return timer_.isActive(); }

  // One whole 100 ms tick: every slice in turn.
  void tick() {
    for (unsigned i = 0; i < TickSchedule::kSlices; ++i) tickSlice();
  }

  // The timer's: the participants of one slice (bridge/room/TickSchedule.hpp). A room of 330
  // sites sent all its reports in one tick before: 3.8 ms on average with forwarding waiting.
  void tickSlice() {
    const int64_t now = clock_();
    for (const auto& participant : participants_) {
      const unsigned slot = participant->tickSlot();
      if (schedule_.ticks(slot)) participant->onTick(now, schedule_.reports(slot));
    }
    if (schedule_.lastSliceOfTick()) detectSpeakers(now);
    schedule_.advance();
  }

 private:
  static constexpr media::Timer::Duration kSliceInterval{10};  // each participant ticks every 100 ms

  Participant* find(const std::string& id) const {
    for (const auto& participant : participants_) {
      if (participant->info().id == id) return participant.get();
    }
    return nullptr;
  }

  void rebuildRouting() {
    const RoutingPolicy policy(state_, activity_);
    applyAudioForwarding(policy);
    for (const auto& publisher : participants_) setImportance(*publisher);
    std::vector<PublishedTrack*> wanted;
    for (const auto& subscriber : participants_) {
      wanted.clear();
      addWanted(policy, *subscriber, wanted, nullptr);
      subscriber->setSubscriptions(wanted);
    }
  }

  // What rebuildRouting() would give, where only one participant changed: receives() decides per
  // (subscriber, track), so the others' decisions stand. Used for a join (the newcomer publishes
  // nothing yet) and a finished publish (whose old tracks, if any, were unrouted by a rebuild).
  void routeSubscriber(Participant& subscriber) {
    const RoutingPolicy policy(state_, activity_);
    std::vector<PublishedTrack*> wanted;
    addWanted(policy, subscriber, wanted, nullptr);
    subscriber.setSubscriptions(wanted);
  }

  void routePublisher(Participant& publisher) {
    const RoutingPolicy policy(state_, activity_);
    applyAudioForwarding(policy);
    setImportance(publisher);
    std::vector<PublishedTrack*> wanted;
    for (const auto& subscriber : participants_) {
      if (subscriber.get() == &publisher) continue;
      wanted.clear();
      addWanted(policy, *subscriber, wanted, &publisher);
      if (!wanted.empty()) subscriber->addSubscriptions(wanted);
    }
  }

  /// Appends the tracks `subscriber` receives, of every other participant or of `only`.
  void addWanted(const RoutingPolicy& policy, const Participant& subscriber, std::vector<PublishedTrack*>& wanted,
                 const Participant* only) const {
    const auto own = videoLastN_.find(subscriber.info().id);
    const std::optional<unsigned> lastN = own == videoLastN_.end() ? std::nullopt : std::optional(own->second);
    for (const auto& publisher : participants_) {
      if (publisher.get() == &subscriber || (only != nullptr && publisher.get() != only)) continue;
      for (const auto& track : publisher->publishedTracks()) {
        if (policy.receives(subscriber.info(), track->info(), publisher->info().role, lastN)) {
          wanted.push_back(track.get());
        }
      }
    }
  }

  // Under a receiver's bandwidth limit thumbnails go first, then the speaker, the hall last.
  void setImportance(const Participant& publisher) {
    const std::string& id = publisher.info().id;
    const int importance = publisher.info().role == Role::Host                 ? 0
                           : state_.floor == id || state_.spotlight == id ? 1
                                                                              : 2;
    for (const auto& track : publisher.publishedTracks()) track->setImportance(importance);
  }

  // Chair mutes and audio last-N: neither changes a subscription, both pause on the bridge.
  void applyAudioForwarding(const RoutingPolicy& policy) {
    for (const auto& publisher : participants_) {
      const ParticipantInfo& info = publisher->info();
      const bool muted = policy.audioMuted(info.id);
      const bool forwarded = policy.audioForwarded(info.id, info.role);
      for (const auto& track : publisher->publishedTracks()) {
        const bool audio = track->info().kind == TrackKind::Audio;
        track->setMuted(muted && audio);
        track->setSuppressed(!forwarded && audio);
      }
    }
  }

  // Every tick: the levels of the interval go to the detector; a new dominant speaker re-routes
  // video (last-N) and is reported, a new ranking re-decides which audio is forwarded.
  void detectSpeakers(int64_t now) {
    for (const auto& participant : participants_) {
      for (const auto& track : participant->publishedTracks()) {
        if (track->isVideo() || !track->hasAudioLevels()) continue;
        speakers_.update(participant->info().id, participant->info().role, track->takeLevels(), now);
      }
    }
    const bool dominantChanged = speakers_.decide(now);
    activity_.audioRanking = speakers_.ranking();
    if (dominantChanged) {
      activity_.recentDominant = speakers_.recentDominant();
      rebuildRouting();
      listener_.onDominantSpeaker(speakers_.dominant(), speakers_.active());
    } else {
      applyAudioForwarding(RoutingPolicy(state_, activity_));
    }
  }

  // Participant::Listener
  void onParticipantCandidate(Participant& participant, TransportKind transport, const std::string& candidate,
                              const std::string& mid) override {
    listener_.onLocalCandidate(participant.info().id, transport, candidate, mid);
  }
  void onParticipantTransportFailed(Participant& participant, TransportKind transport,
                                    std::string_view reason) override {
    spdlog::info("meeting {}: {}'s {} connection failed: {}", meetingId_, participant.info().id, toString(transport),
                 reason);
    listener_.onTransportFailed(participant.info().id, transport, reason);
  }
  void onParticipantTransportRecovered(Participant& participant, TransportKind transport) override {
    spdlog::info("meeting {}: {}'s {} connection is back", meetingId_, participant.info().id, toString(transport));
    listener_.onTransportRecovered(participant.info().id, transport);
  }
  void onParticipantSubscriberOffer(Participant& participant, uint32_t version,
                                    std::shared_ptr<const media::sdp::SessionDescription> offer) override {
    listener_.onSubscriberOffer(participant.info().id, version, std::move(offer));
  }

  media::MediaEngine& engine_;
  media::Worker& worker_;
  const std::string& meetingId_;
  Room::Listener& listener_;
  const bool ownClock_;       // the owner ticks the room
  const Room::Clock clock_;  // outlives the participants, which call it
  std::vector<std::unique_ptr<Participant>> participants_;
  RoutingState state_;
  SpeakerDetector speakers_;
  SpeakerActivity activity_;
  std::map<std::string, unsigned> videoLastN_;  // subscribers with their own last-N video
  media::Timer timer_;
  TickSchedule schedule_;
};

Room::Room(media::MediaEngine& engine, media::Worker& worker, std::string meetingId, Listener& listener)
    : Room(engine, worker, std::move(meetingId), listener, nullptr) {}

Room::Room(media::MediaEngine& engine, media::Worker& worker, std::string meetingId, Listener& listener, Clock clock)
    : meetingId_(std::move(meetingId)),
      impl_(std::make_unique<Impl>(engine, worker, meetingId_, listener, std::move(clock))) {}

Room::~Room() = default;

void Room::addParticipant(const ParticipantInfo& participant) { impl_->addParticipant(participant); }
void Room::removeParticipant(const std::string& participantId) { impl_->removeParticipant(participantId); }
void Room::publish(const std::string& participantId, const std::string& offerSdp, AnswerCallback done) {
  impl_->publish(participantId, offerSdp, std::move(done));
}
std::optional<Room::Error> Room::subscriberAnswer(const std::string& participantId, uint32_t version,
                                                  const std::string& sdp) {
  return impl_->subscriberAnswer(participantId, version, sdp);
}
std::optional<Room::Error> Room::subscriberAnswer(const std::string& participantId, uint32_t version,
                                                  const media::sdp::SessionDescription& answer) {
  return impl_->subscriberAnswer(participantId, version, answer);
}
std::optional<Room::Error> Room::addRemoteCandidate(const std::string& participantId, TransportKind transport,
                                                    const std::string& candidate) {
  return impl_->addRemoteCandidate(participantId, transport, candidate);
}
void Room::setRoutingState(const RoutingState& state) { impl_->setRoutingState(state); }
std::optional<Room::Error> Room::restartSubscribeIce(const std::string& participantId) {
  return impl_->restartSubscribeIce(participantId);
}
void Room::setVideoLastN(const std::string& participantId, std::optional<unsigned> lastN) {
  impl_->setVideoLastN(participantId, lastN);
}
bool Room::setVideoSize(const std::string& participantId, const std::string& trackId, uint16_t height) {
  return impl_->setVideoSize(participantId, trackId, height);
}
std::vector<ParticipantStats> Room::stats() const { return impl_->stats(); }
void Room::tick() { impl_->tick(); }

bool Room::ticking() const {
  return impl_->ticking();
}

bool Room::setRecorderSink(const std::string& trackId, media::recorder::RtpSink* sink) {
  PublishedTrack* track = impl_->findTrack(trackId);
  if (track == nullptr) return false;
  track->setRecorderSink(sink);
  // The recording's first frame must be a keyframe; without asking, it waits for the next one.
  if (sink != nullptr) track->requestKeyframe(impl_->now());
  return true;
}

void Room::clearRecorderSink(const std::string& trackId, media::recorder::RtpSink* sink) {
  PublishedTrack* track = impl_->findTrack(trackId);
  if (track != nullptr && track->recorderSink() == sink) track->setRecorderSink(nullptr);
}

void Room::requestKeyframe(const std::string& trackId) {
  if (PublishedTrack* track = impl_->findTrack(trackId)) track->requestKeyframe(impl_->now());
}

}  // namespace diemcau::bridge
