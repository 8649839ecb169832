#include "signaling/meeting/WorkerRoomPort.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <utility>

#include "bridge/room/Room.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/sdp/SdpWriter.hpp"
#include "media/worker/Timer.hpp"

namespace diemcau::signaling::meeting {

namespace {

std::optional<RoomPort::Error> fromBridge(const std::optional<bridge::Room::Error>& error) {
  if (!error) return std::nullopt;
  return RoomPort::Error{errorCodeFromBridge(error->code), error->message};
}

}  // namespace

// Worker side: owns the room and relays its events. Constructed on the signaling thread before any
// task of it runs; every member is used on the worker only.
class WorkerRoomPort::Host final : private bridge::Room::Listener {
 public:
  Host(boost::asio::io_context& io, std::weak_ptr<Relay> relay, std::string meetingId)
      : io_(io), relay_(std::move(relay)), meetingId_(std::move(meetingId)) {}

  void start(media::MediaEngine& engine, media::Worker& worker) {
    try {
      bridge::Room::Listener& listener = *this;
      room_ = std::make_unique<bridge::Room>(engine, worker, meetingId_, listener);
      statsTimer_ = std::make_unique<media::Timer>(worker, [this] { sampleStats(); });
      statsTimer_->start(kStatsInterval, kStatsInterval);
    } catch (const std::exception& e) {
      spdlog::error("meeting {}: the room could not be created: {}", meetingId_, e.what());
    }
  }

  ~Host() override {
    if (statsTimer_) statsTimer_->stop();
  }

  bridge::Room* room() { return room_.get(); }
  static RoomPort::Error noRoom() { return {protocol::ErrorCode::Internal, "the meeting's media is not available"}; }

  /// Runs f(events) on the signaling thread if the port still exists.
  template <typename F>
  void toPort(F&& f) {
    boost::asio::post(io_, [relay = relay_, f = std::forward<F>(f)]() mutable {
      if (auto r = relay.lock(); r && r->events != nullptr) f(*r->events);
    });
  }

 private:
  void onTrackAdded(const bridge::TrackInfo& track) override {
    toPort([track](Events& e) { e.onTrackAdded(track); });
  }
  void onTrackRemoved(const bridge::TrackInfo& track) override {
    toPort([track](Events& e) { e.onTrackRemoved(track); });
  }
  void onSubscriberOffer(const std::string& participantId, uint32_t version,
                         std::shared_ptr<const media::sdp::SessionDescription> offer) override {
    // Written out on the signaling thread: the worker carries every participant's media.
    toPort([participantId, version, offer = std::move(offer)](Events& e) {
      e.onSubscriberOffer(participantId, version, media::sdp::writeSdp(*offer));
    });
  }
  void onLocalCandidate(const std::string& participantId, bridge::TransportKind transport,
                        const std::string& candidate, const std::string& mid) override {
    toPort([participantId, transport, candidate, mid](Events& e) {
      e.onLocalCandidate(participantId, transport, candidate, mid);
    });
  }
  void onTransportFailed(const std::string& participantId, bridge::TransportKind transport,
                         std::string_view reason) override {
    toPort([participantId, transport, reason = std::string(reason)](Events& e) {
      e.onTransportFailed(participantId, transport, reason);
    });
  }
  void onDominantSpeaker(const std::optional<std::string>& participantId,
                         const std::vector<std::string>& active) override {
    toPort([participantId, active](Events& e) { e.onDominantSpeaker(participantId, active); });
  }

  void onTransportRecovered(const std::string& participantId, bridge::TransportKind transport) override {
    toPort([participantId, transport](Events& e) { e.onTransportRecovered(participantId, transport); });
  }

  // Link quality (docs/PROTOCOL.md, "Network quality"): the counters leave the worker every 2 s,
  // stamped here so that the rate over the interval does not depend on the signaling thread's delay.
  void sampleStats() {
    if (room_ == nullptr) return;
    toPort([stats = room_->stats(), at = std::chrono::steady_clock::now()](Events& e) { e.onStats(stats, at); });
  }

  static constexpr media::Timer::Duration kStatsInterval{2000};

  boost::asio::io_context& io_;
  std::weak_ptr<Relay> relay_;
  std::string meetingId_;
  std::unique_ptr<bridge::Room> room_;
  std::unique_ptr<media::Timer> statsTimer_;  // after the room: stops before it dies
};

WorkerRoomPort::WorkerRoomPort(boost::asio::io_context& io, media::MediaEngine& engine, const std::string& meetingId,
                               Events& events)
    : engine_(engine), worker_(engine.workers().pickLeastLoaded()), relay_(std::make_shared<Relay>(Relay{&events})) {
  host_ = new Host(io, relay_, meetingId);
  Host* host = host_;
  media::Worker& worker = worker_;
  if (!worker_.post([host, &engine, &worker] { host->start(engine, worker); })) {
    spdlog::error("meeting {}: media worker is stopped; the room is not created", meetingId);
  }
}

WorkerRoomPort::~WorkerRoomPort() {
  relay_->events = nullptr;
  relay_.reset();
  Host* host = host_;
  // Deleted on its own worker; a stopped worker runs no task any more, so deleting here is safe.
  if (!worker_.post([host] { delete host; })) delete host;
  engine_.workers().release(worker_);
}

void WorkerRoomPort::addParticipant(const bridge::ParticipantInfo& participant) {
  worker_.post([host = host_, participant] {
    if (host->room() != nullptr) host->room()->addParticipant(participant);
  });
}

void WorkerRoomPort::removeParticipant(const std::string& participantId) {
  worker_.post([host = host_, participantId] {
    if (host->room() != nullptr) host->room()->removeParticipant(participantId);
  });
}

void WorkerRoomPort::publish(const std::string& participantId, const std::string& offerSdp, AnswerDone done) {
  worker_.post([host = host_, participantId, offerSdp, done = std::move(done)]() mutable {
    if (host->room() == nullptr) {
      host->toPort([done = std::move(done)](Events&) { done("", Host::noRoom()); });
      return;
    }
    host->room()->publish(participantId, offerSdp,
                          [host, done = std::move(done)](std::string answer, std::optional<bridge::Room::Error> error) {
                            host->toPort([done, answer = std::move(answer), error = fromBridge(error)](Events&) {
                              done(answer, error);
                            });
                          });
  });
}

void WorkerRoomPort::subscriberAnswer(const std::string& participantId, uint32_t version, const std::string& sdp,
                                      Done done) {
  // Parsed here, on the signaling thread: an answer holds a section per track the participant
  // receives, and the worker carries every participant's media.
  std::shared_ptr<const media::sdp::SessionDescription> answer;
  std::optional<bridge::Room::Error> unusable;
  try {
    answer = std::make_shared<const media::sdp::SessionDescription>(media::sdp::parseSdp(sdp));
  } catch (const media::sdp::SdpError& e) {
    unusable = bridge::Room::Error{"sdp_rejected", e.what()};
  }
  worker_.post([host = host_, participantId, version, answer = std::move(answer), unusable = std::move(unusable),
                done = std::move(done)]() mutable {
    std::optional<Error> error = host->room() == nullptr ? std::optional<Error>(Host::noRoom())
                                 : unusable              ? fromBridge(unusable)
                                                         : fromBridge(host->room()->subscriberAnswer(participantId, version, *answer));
    spdlog::debug("room participant {}: subscribe answer {} applied{}", participantId, version,
                  error ? " with error: " + error->message : std::string());
    host->toPort([done = std::move(done), error](Events&) { done(error); });
  });
}

void WorkerRoomPort::addRemoteCandidate(const std::string& participantId, bridge::TransportKind transport,
                                        const std::string& candidate, Done done) {
  worker_.post([host = host_, participantId, transport, candidate, done = std::move(done)]() mutable {
    std::optional<Error> error =
        host->room() == nullptr ? std::optional<Error>(Host::noRoom())
                                : fromBridge(host->room()->addRemoteCandidate(participantId, transport, candidate));
    spdlog::debug("room participant {}: remote {} candidate {}", participantId, bridge::toString(transport),
                  candidate.empty() ? std::string("(end)") : candidate.substr(0, 80));
    host->toPort([done = std::move(done), error](Events&) { done(error); });
  });
}

void WorkerRoomPort::setRoutingState(const bridge::RoutingState& state) {
  worker_.post([host = host_, state] {
    if (host->room() != nullptr) host->room()->setRoutingState(state);
  });
}

void WorkerRoomPort::attachRecorder(const std::vector<RecorderTap>& taps) {
  worker_.post([host = host_, taps] {
    if (host->room() == nullptr) return;
    for (const RecorderTap& tap : taps) host->room()->setRecorderSink(tap.trackId, tap.sink);
  });
}

void WorkerRoomPort::detachRecorder(const std::vector<RecorderTap>& taps, std::function<void()> detached) {
  // Shared so that the callback survives a refused post and still runs once, here.
  auto once = std::make_shared<std::function<void()>>(std::move(detached));
  const bool posted = worker_.post([host = host_, taps, once] {
    if (host->room() != nullptr) {
      for (const RecorderTap& tap : taps) host->room()->clearRecorderSink(tap.trackId, tap.sink);
    }
    if (*once) std::exchange(*once, nullptr)();
  });
  // A stopped worker runs nothing more, so no packet can reach the sinks any more.
  if (!posted && *once) std::exchange(*once, nullptr)();
}

void WorkerRoomPort::requestKeyframe(const std::string& trackId) {
  worker_.post([host = host_, trackId] {
    if (host->room() != nullptr) host->room()->requestKeyframe(trackId);
  });
}

void WorkerRoomPort::setVideoSize(const std::string& participantId, const std::string& trackId, uint16_t height) {
  worker_.post([host = host_, participantId, trackId, height] {
    if (host->room() != nullptr) host->room()->setVideoSize(participantId, trackId, height);
  });
}

void WorkerRoomPort::restartSubscribeIce(const std::string& participantId, Done done) {
  worker_.post([host = host_, participantId, done = std::move(done)]() mutable {
    std::optional<Error> error = host->room() == nullptr
                                     ? std::optional<Error>(Host::noRoom())
                                     : fromBridge(host->room()->restartSubscribeIce(participantId));
    host->toPort([done = std::move(done), error](Events&) { done(error); });
  });
}

}  // namespace diemcau::signaling::meeting
