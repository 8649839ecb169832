#pragma once
// The meeting join protocol on /ws (docs/PROTOCOL.md, "Meetings"): signaling-thread side.
//
//   client ── join/publish/chat/floor.give/... ──▶ MeetingService ──▶ LiveMeeting (state, event log)
//                                                        │                 │ announce ──▶ every participant
//                                                        └── RoomPort ──post──▶ worker: bridge::Room
//   client ◀── subscribe.offer / candidate / track.* ◀── Events ◀──post── Room::Listener
//
// One LiveMeeting per meeting with people in it; its room is made on the first join and destroyed
// when the last participant leaves or the meeting ends. Requests are handled one per file of
// responsibility: MeetingService.cpp (join, leave, connection loss, scheduler), MediaRequests.cpp
// (publish, subscribe.answer, candidate), ChairRequests.cpp (chair actions), SiteRequests.cpp (hand,
// chat), RoomEvents.cpp (what the room reports).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "signaling/meeting/LiveMeeting.hpp"
#include "signaling/meeting/MeetingRecordings.hpp"
#include "signaling/meeting/RoomPort.hpp"
#include "signaling/protocol/Service.hpp"
#include "signaling/scheduler/MeetingScheduler.hpp"
#include "signaling/store/Store.hpp"
#include "signaling/tokens/TokenService.hpp"

namespace diemcau::signaling::meeting {

struct MeetingServiceOptions {
  /// Event logs go to <dataDir>/archive/<meeting>/events.jsonl; empty = no event logs.
  std::filesystem::path dataDir;
  /// Wall clock for token checks and event times (tests inject their own).
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  /// Runs a task on the signaling thread later (thread-safe): how recordings and the archive's closing
  /// report back. Empty = this service records nothing (recording.start is refused) and closes no archive.
  std::function<void(std::function<void()>)> post;
  /// How long the seat of a site whose link dropped waits for it to come back (docs/PROTOCOL.md,
  /// "Resuming after a lost link"); 0 = the seat is given up at once, with reason `connection lost`.
  std::chrono::seconds resumeWindow{0};
  /// Audio last-N and last-N video of every meeting's room (bridge::RoutingState).
  unsigned audioLastN = bridge::RoutingState{}.audioLastN;
  unsigned videoLastN = bridge::RoutingState{}.videoLastN;
};

class MeetingService final : public protocol::Service, public scheduler::MeetingScheduler::Listener {
 public:
  static constexpr size_t kMaxChatChars = 2000;
  static constexpr size_t kMaxDisplayNameChars = 100;
  /// A publish offer has at most an audio and a video section; a subscribe answer one per received track.
  static constexpr size_t kMaxPublishSdpBytes = 64 * 1024;
  static constexpr size_t kMaxAnswerSdpBytes = 1024 * 1024;
  static constexpr size_t kMaxCandidateBytes = 1024;

  MeetingService(store::Store& store, tokens::TokenService& tokens, std::unique_ptr<RoomPortFactory> rooms,
                 MeetingServiceOptions options = {});
  ~MeetingService() override;
  MeetingService(const MeetingService&) = delete;
  MeetingService& operator=(const MeetingService&) = delete;

  std::vector<std::string> types() const override;
  std::optional<nlohmann::json> handle(protocol::Connection& connection, const protocol::Request& request) override;
  void onClose(protocol::Connection& connection) override;

  // Scheduler transitions (signaling thread).
  void onMeetingOpen(const store::Meeting& meeting) override;
  void onMeetingLive(const store::Meeting& meeting) override;
  void onMeetingEndingSoon(const store::Meeting& meeting) override;
  void onMeetingEnded(const store::Meeting& meeting) override;

  /// Periodic work on the signaling thread (the server calls it every second): gives up the seats
  /// whose resume window has passed.
  void tick();

  /// The live meeting, if anyone is or was in it since it opened (tests, status view).
  const LiveMeeting* find(const std::string& meetingId) const;
  size_t seatedConnections() const { return seats_.size(); }

 private:
  struct Seat {
    std::string meetingId;
    std::string participantId;
  };
  /// The caller's meeting and seat; throws not_allowed before join.
  struct Caller {
    LiveMeeting& meeting;
    Participant& participant;
  };
  class RoomEventsRelay;

  using Handler = std::optional<nlohmann::json> (MeetingService::*)(protocol::Connection&, const protocol::Request&);
  static const std::map<std::string, Handler, std::less<>>& handlers();

  // MeetingService.cpp
  std::optional<nlohmann::json> join(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> leave(protocol::Connection& connection, const protocol::Request& request);
  Caller caller(protocol::Connection& connection);
  LiveMeeting& liveMeeting(const store::Meeting& info);
  void ensureRoom(LiveMeeting& meeting);
  /// Gives up a seat: tells the room and everyone else, clears floor/spotlight held by it, closes the
  /// room when nobody is left. Does not close the connection.
  void removeParticipant(LiveMeeting& meeting, const std::string& participantId, std::string_view reason,
                         const nlohmann::json& logExtra = {});
  /// Tells everyone, closes every connection, destroys the room and forgets the meeting.
  void endMeeting(const std::string& meetingId, std::string_view reason, const nlohmann::json& logExtra = {});
  /// Runs `send` with the connection still holding this seat, if it does.
  void withSeat(uint64_t connectionId, const std::string& meetingId, const std::string& participantId,
                const std::function<void(LiveMeeting&, Participant&)>& send);

  // LinkLoss.cpp: seats held while a site's link is down.
  bool resumable() const { return options_.resumeWindow.count() > 0; }
  /// The site's link dropped: its seat waits for it (participant.reconnecting to the others).
  void markLost(LiveMeeting& meeting, Participant& participant, const nlohmann::json& logExtra);
  /// The site came back within the window: participant.reconnected with the gap.
  void announceResumed(LiveMeeting& meeting, Participant& participant,
                       std::chrono::system_clock::time_point lostAt);
  /// Gives up the seats of `meeting` lost longer than the window.
  void expireLost(LiveMeeting& meeting);
  // QualityEvents.cpp
  void onStats(const std::string& meetingId, const std::vector<bridge::ParticipantStats>& stats,
               std::chrono::steady_clock::time_point sampledAt);

  // MediaRequests.cpp
  std::optional<nlohmann::json> publish(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> subscribeAnswer(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> candidate(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> iceRestart(protocol::Connection& connection, const protocol::Request& request);

  // SiteRequests.cpp
  std::optional<nlohmann::json> handRaise(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> handLower(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> chat(protocol::Connection& connection, const protocol::Request& request);
  void setHand(Caller& who, bool raised);

  // VideoRequests.cpp
  std::optional<nlohmann::json> videoSize(protocol::Connection& connection, const protocol::Request& request);

  // ChairRequests.cpp
  Caller chair(protocol::Connection& connection);
  Participant& target(LiveMeeting& meeting, const protocol::Request& request);
  std::optional<nlohmann::json> floorGive(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> floorTake(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> mute(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> spotlight(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> remove(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> lock(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> end(protocol::Connection& connection, const protocol::Request& request);

  // RecordingRequests.cpp
  std::optional<nlohmann::json> recordingStart(protocol::Connection& connection, const protocol::Request& request);
  std::optional<nlohmann::json> recordingStop(protocol::Connection& connection, const protocol::Request& request);

  // RoomEvents.cpp: the room's reports for meeting `meetingId`.
  void onTrackAdded(const std::string& meetingId, const bridge::TrackInfo& track);
  void onTrackRemoved(const std::string& meetingId, const bridge::TrackInfo& track);
  void onSubscriberOffer(const std::string& meetingId, const std::string& participantId, uint32_t version,
                         const std::string& sdp);
  void onLocalCandidate(const std::string& meetingId, const std::string& participantId,
                        bridge::TransportKind transport, const std::string& candidate, const std::string& mid);
  void onTransportFailed(const std::string& meetingId, const std::string& participantId,
                         bridge::TransportKind transport, const std::string& reason);
  void onTransportRecovered(const std::string& meetingId, const std::string& participantId,
                            bridge::TransportKind transport);
  void onDominantSpeaker(const std::string& meetingId, const std::optional<std::string>& participantId,
                         const std::vector<std::string>& active);

  store::Store& store_;
  tokens::TokenService& tokens_;
  std::unique_ptr<RoomPortFactory> rooms_;
  MeetingServiceOptions options_;
  std::map<std::string, std::unique_ptr<LiveMeeting>> meetings_;
  std::map<uint64_t, Seat> seats_;  // by connection id
  std::unique_ptr<MeetingRecordings> recordings_;
};

}  // namespace diemcau::signaling::meeting
