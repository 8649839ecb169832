#pragma once
// The real RoomPort: one bridge::Room on the least-loaded media worker.
//
//   signaling thread                           media worker
//   WorkerRoomPort::publish ──── post ───────▶ Host: Room::publish
//   done(answer) ◀──────── asio::post ──────── AnswerCallback
//   Events::onTrackAdded ◀─ asio::post ─────── Room::Listener (Host)
//
// Everything that comes back is posted to the io_context and delivered only while the port is alive:
// it holds a weak reference to a relay the port clears in its destructor (both on the signaling thread).
#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

#include "media/transport/MediaEngine.hpp"
#include "signaling/meeting/RoomPort.hpp"

namespace diemcau::signaling::meeting {

class WorkerRoomPort final : public RoomPort {
 public:
  /// Picks a worker and posts the room's construction to it.
  WorkerRoomPort(boost::asio::io_context& io, media::MediaEngine& engine, const std::string& meetingId,
                 Events& events);
  /// Posts the room's destruction to its worker; nothing more reaches `events`.
  ~WorkerRoomPort() override;
  WorkerRoomPort(const WorkerRoomPort&) = delete;
  WorkerRoomPort& operator=(const WorkerRoomPort&) = delete;

  void addParticipant(const bridge::ParticipantInfo& participant) override;
  void removeParticipant(const std::string& participantId) override;
  void publish(const std::string& participantId, const std::string& offerSdp, AnswerDone done) override;
  void subscriberAnswer(const std::string& participantId, uint32_t version, const std::string& sdp,
                        Done done) override;
  void addRemoteCandidate(const std::string& participantId, bridge::TransportKind transport,
                          const std::string& candidate, Done done) override;
  void setRoutingState(const bridge::RoutingState& state) override;
  void restartSubscribeIce(const std::string& participantId, Done done) override;
  void attachRecorder(const std::vector<RecorderTap>& taps) override;
  void detachRecorder(const std::vector<RecorderTap>& taps, std::function<void()> detached) override;
  void requestKeyframe(const std::string& trackId) override;
  void setVideoSize(const std::string& participantId, const std::string& trackId, uint16_t height) override;

  /// Signaling-thread side of the way back; the port owns the only strong reference.
  struct Relay {
    Events* events = nullptr;
  };
  class Host;

 private:
  media::MediaEngine& engine_;
  media::Worker& worker_;
  std::shared_ptr<Relay> relay_;
  Host* host_;  // created here, used and deleted only by tasks on worker_
};

class WorkerRoomPortFactory final : public RoomPortFactory {
 public:
  WorkerRoomPortFactory(boost::asio::io_context& io, media::MediaEngine& engine) : io_(io), engine_(engine) {}
  std::unique_ptr<RoomPort> create(const std::string& meetingId, RoomPort::Events& events) override {
    return std::make_unique<WorkerRoomPort>(io_, engine_, meetingId, events);
  }

 private:
  boost::asio::io_context& io_;
  media::MediaEngine& engine_;
};

}  // namespace diemcau::signaling::meeting
