#include "signaling/meeting/MeetingService.hpp"

#include <spdlog/spdlog.h>

#include "signaling/meeting/InvitedSites.hpp"
#include "signaling/meeting/WireNames.hpp"
#include "signaling/protocol/Messages.hpp"
#include "signaling/protocol/ProtocolError.hpp"
#include "signaling/scheduler/TimeText.hpp"

namespace diemcau::signaling::meeting {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

/// Every refusal is `unauthorized`; the reason tells the page which sentence to show.
ProtocolError tokenRefusal(tokens::TokenError error) {
  switch (error) {
    case tokens::TokenError::Expired:
      return ProtocolError(ErrorCode::Unauthorized, "the token has expired", "token_expired");
    case tokens::TokenError::NotYetValid:
      return ProtocolError(ErrorCode::Unauthorized, "the token is not valid yet", "token_not_yet_valid");
    case tokens::TokenError::BadSignature:
      return ProtocolError(ErrorCode::Unauthorized, "the token has a bad signature", "token_bad_signature");
    case tokens::TokenError::Revoked:
      return ProtocolError(ErrorCode::Unauthorized, "the token has been revoked", "token_revoked");
    case tokens::TokenError::Malformed: break;
  }
  return ProtocolError(ErrorCode::Unauthorized, "the token is malformed", "token_malformed");
}

void checkJoinable(const store::Meeting& meeting) {
  switch (meeting.state) {
    case store::MeetingState::Open:
    case store::MeetingState::Live: return;
    case store::MeetingState::Scheduled:
      throw ProtocolError(ErrorCode::NotAllowed, "the meeting has not opened yet", "meeting_not_open");
    case store::MeetingState::Ended:
      throw ProtocolError(ErrorCode::NotAllowed, "the meeting has ended", "meeting_ended");
    case store::MeetingState::Cancelled:
      throw ProtocolError(ErrorCode::NotAllowed, "the meeting has been cancelled", "meeting_cancelled");
  }
}

/// A token names a meeting or a whole recurring series. A series token joins the occurrence that is live
/// now, else the one whose lobby is open (the earliest, should two be); when none is, the series itself is
/// returned, so checkJoinable reports its state (not opened yet, ended, cancelled). An occurrence token names
/// that occurrence and never another.
store::Meeting joinTarget(const store::Store& store, store::Meeting named) {
  if (!named.isSeries()) return named;
  store::MeetingFilter current;
  current.seriesId = named.id;
  current.states = {store::MeetingState::Open, store::MeetingState::Live};
  std::optional<store::Meeting> best;
  for (auto& occurrence : store.listMeetings(current)) {
    const bool live = occurrence.state == store::MeetingState::Live;
    const bool bestLive = best && best->state == store::MeetingState::Live;
    if (!best || (live && !bestLive) || (live == bestLive && occurrence.start < best->start)) {
      best = std::move(occurrence);
    }
  }
  return best ? *best : named;
}

}  // namespace

// Carries the room's reports, tagged with the meeting they belong to, into the service.
class MeetingService::RoomEventsRelay final : public RoomPort::Events {
 public:
  RoomEventsRelay(MeetingService& service, std::string meetingId)
      : service_(service), meetingId_(std::move(meetingId)) {}

  void onTrackAdded(const bridge::TrackInfo& track) override { service_.onTrackAdded(meetingId_, track); }
  void onTrackRemoved(const bridge::TrackInfo& track) override { service_.onTrackRemoved(meetingId_, track); }
  void onSubscriberOffer(const std::string& participantId, uint32_t version, const std::string& sdp) override {
    service_.onSubscriberOffer(meetingId_, participantId, version, sdp);
  }
  void onLocalCandidate(const std::string& participantId, bridge::TransportKind transport,
                        const std::string& candidate, const std::string& mid) override {
    service_.onLocalCandidate(meetingId_, participantId, transport, candidate, mid);
  }
  void onTransportFailed(const std::string& participantId, bridge::TransportKind transport,
                         const std::string& reason) override {
    service_.onTransportFailed(meetingId_, participantId, transport, reason);
  }
  void onDominantSpeaker(const std::optional<std::string>& participantId,
                         const std::vector<std::string>& active) override {
    service_.onDominantSpeaker(meetingId_, participantId, active);
  }
  void onTransportRecovered(const std::string& participantId, bridge::TransportKind transport) override {
    service_.onTransportRecovered(meetingId_, participantId, transport);
  }
  void onStats(const std::vector<bridge::ParticipantStats>& stats,
               std::chrono::steady_clock::time_point sampledAt) override {
    service_.onStats(meetingId_, stats, sampledAt);
  }

 private:
  MeetingService& service_;
  std::string meetingId_;
};

MeetingService::MeetingService(store::Store& store, tokens::TokenService& tokens,
                               std::unique_ptr<RoomPortFactory> rooms, MeetingServiceOptions options)
    : store_(store), tokens_(tokens), rooms_(std::move(rooms)), options_(std::move(options)) {
  recordings_ = std::make_unique<MeetingRecordings>(options_.dataDir, store_, options_.post,
                                                    [this](const std::string& id) -> LiveMeeting* {
                                                      auto it = meetings_.find(id);
                                                      return it == meetings_.end() ? nullptr : it->second.get();
                                                    });
}

MeetingService::~MeetingService() {
  // Recordings first, detached through rooms that still exist; then the rooms: no completion or
  // event may reach a half-destroyed service.
  recordings_.reset();
  for (auto& [id, meeting] : meetings_) meeting->closeRoom();
}

const std::map<std::string, MeetingService::Handler, std::less<>>& MeetingService::handlers() {
  static const std::map<std::string, Handler, std::less<>> table = {
      {"join", &MeetingService::join},
      {"leave", &MeetingService::leave},
      {"publish", &MeetingService::publish},
      {"subscribe.answer", &MeetingService::subscribeAnswer},
      {"candidate", &MeetingService::candidate},
      {"ice.restart", &MeetingService::iceRestart},
      {"hand.raise", &MeetingService::handRaise},
      {"hand.lower", &MeetingService::handLower},
      {"chat", &MeetingService::chat},
      {"video.size", &MeetingService::videoSize},
      {"floor.give", &MeetingService::floorGive},
      {"floor.take", &MeetingService::floorTake},
      {"mute", &MeetingService::mute},
      {"spotlight", &MeetingService::spotlight},
      {"remove", &MeetingService::remove},
      {"lock", &MeetingService::lock},
      {"end", &MeetingService::end},
      {"recording.start", &MeetingService::recordingStart},
      {"recording.stop", &MeetingService::recordingStop},
  };
  return table;
}

std::vector<std::string> MeetingService::types() const {
  std::vector<std::string> names;
  for (const auto& [name, handler] : handlers()) names.push_back(name);
  return names;
}

std::optional<nlohmann::json> MeetingService::handle(protocol::Connection& connection,
                                                     const protocol::Request& request) {
  const auto it = handlers().find(request.type);
  if (it == handlers().end()) {
    throw ProtocolError(ErrorCode::UnknownType, "there is no request type '" + request.type.substr(0, 64) + "'");
  }
  return (this->*(it->second))(connection, request);
}

const LiveMeeting* MeetingService::find(const std::string& meetingId) const {
  auto it = meetings_.find(meetingId);
  return it == meetings_.end() ? nullptr : it->second.get();
}

MeetingService::Caller MeetingService::caller(protocol::Connection& connection) {
  const auto seat = seats_.find(connection.id());
  if (seat == seats_.end()) throw ProtocolError(ErrorCode::NotAllowed, "join a meeting first");
  auto meeting = meetings_.find(seat->second.meetingId);
  Participant* participant = meeting == meetings_.end() ? nullptr : meeting->second->find(seat->second.participantId);
  if (participant == nullptr) {
    // Unreachable while the bookkeeping holds; answer as if the seat were gone.
    seats_.erase(seat);
    throw ProtocolError(ErrorCode::NotAllowed, "join a meeting first");
  }
  return Caller{*meeting->second, *participant};
}

LiveMeeting& MeetingService::liveMeeting(const store::Meeting& info) {
  auto it = meetings_.find(info.id);
  if (it != meetings_.end()) {
    it->second->setInfo(info);
    return *it->second;
  }
  std::unique_ptr<EventLog> log;
  if (!options_.dataDir.empty()) {
    if (EventLog::isSafeMeetingId(info.id)) {
      log = std::make_unique<EventLog>(EventLog::pathFor(options_.dataDir, info.id));
    } else {
      spdlog::warn("meeting id '{}' cannot name a folder; its events are not logged", info.id);
    }
  }
  auto live = std::make_unique<LiveMeeting>(info, std::move(log), options_.now);
  live->audioLastN = options_.audioLastN;
  live->videoLastN = options_.videoLastN;
  LiveMeeting& ref = *live;
  meetings_.emplace(info.id, std::move(live));
  recordings_->applyPolicy(ref);
  return ref;
}

void MeetingService::ensureRoom(LiveMeeting& meeting) {
  if (meeting.room() != nullptr) return;
  auto events = std::make_unique<RoomEventsRelay>(*this, meeting.id());
  auto room = rooms_->create(meeting.id(), *events);
  meeting.setRoom(std::move(events), std::move(room));
  // Chair mutes and the floor outlive an empty room; the new room starts from them.
  meeting.pushRouting();
  meeting.record("room.created", nlohmann::json::object());
}

std::optional<nlohmann::json> MeetingService::join(protocol::Connection& connection,
                                                   const protocol::Request& request) {
  if (seats_.contains(connection.id())) {
    throw ProtocolError(ErrorCode::NotAllowed, "this connection has already joined; open a new one", "already_joined");
  }
  const std::string& token = request.requireString("token");
  const auto displayName = request.optionalString("displayName");
  if (displayName) {
    const auto chars = countUtf8(*displayName);
    if (!chars || *chars == 0) throw ProtocolError(ErrorCode::BadRequest, "field 'displayName' must not be empty");
    if (*chars > kMaxDisplayNameChars) {
      throw ProtocolError(ErrorCode::TooLarge, "field 'displayName' is longer than 100 characters");
    }
  }
  const auto now = options_.now();
  const auto verified = tokens_.verifyJoinToken(token, std::chrono::floor<std::chrono::seconds>(now));
  if (!verified.ok()) throw tokenRefusal(verified.error());
  const tokens::JoinClaims& claims = verified.claims();

  const auto named = store_.findMeeting(claims.meetingId);
  if (!named) throw ProtocolError(ErrorCode::NotFound, "the meeting does not exist", "meeting_not_found");
  const store::Meeting info = joinTarget(store_, *named);
  checkJoinable(info);
  LiveMeeting& meeting = liveMeeting(info);
  if (resumable()) expireLost(meeting);  // a seat whose window has just passed is not resumed
  Participant* existing = meeting.find(claims.siteId);
  if (meeting.locked && claims.role != tokens::Role::Host && existing == nullptr) {
    throw ProtocolError(ErrorCode::NotAllowed, "the meeting is locked", "meeting_locked");
  }

  Participant seat;
  seat.id = claims.siteId;
  if (displayName) {
    seat.displayName = *displayName;
  } else if (const auto site = store_.findSite(claims.siteId)) {
    seat.displayName = site->name;
  } else {
    seat.displayName = claims.siteId;
  }
  seat.role = claims.role;
  seat.connection = &connection;
  seat.tokenId = claims.tokenId;
  seat.tokenExpiry = claims.expiry;

  ensureRoom(meeting);
  bool replaced = false;
  // A site coming back within its resume window takes its seat back without leaving and joining.
  const std::optional<std::chrono::system_clock::time_point> lostAt =
      existing != nullptr ? existing->lostAt : std::nullopt;
  if (existing != nullptr) {
    // The newer connection wins; the seat's hand, the floor, spotlight and chair mute stay with the site.
    replaced = true;
    seat.handRaised = existing->handRaised;
    protocol::Connection* older = existing->connection;
    for (const auto& [trackId, track] : existing->tracks) {
      meeting.announce("track.removed", {{"track", {{"id", trackId}, {"participant", track.participantId},
                                                    {"kind", trackKindName(track.kind)}}}});
    }
    existing->tracks.clear();
    recordings_->tracksChanged(meeting);
    if (older != nullptr) {
      older->send(protocol::makeEvent("session.replaced"));
      older->close("replaced by a newer connection of the same site");
      seats_.erase(older->id());
    }
    existing->connection = nullptr;
    if (!lostAt) {
      meeting.announce("participant.left", {{"participant", seat.id}, {"reason", "replaced"}}, {}, &seat.id);
    }
  }
  Participant& participant = meeting.seat(std::move(seat));
  seats_[connection.id()] = Seat{meeting.id(), participant.id};
  if (lostAt) {
    announceResumed(meeting, participant, *lostAt);
  } else {
    meeting.announce("participant.joined", {{"participant", meeting.participantJson(participant)}},
                     {{"remoteAddress", connection.remoteAddress()}, {"replacing", replaced}}, &participant.id);
  }

  // The room replaces a participant of the same id, dropping the older connections and tracks.
  meeting.room()->addParticipant(
      bridge::ParticipantInfo{participant.id, participant.displayName, bridgeRole(participant.role)});

  nlohmann::json reply{{"participant", meeting.participantJson(participant)},
                       {"meeting", meeting.meetingJson()},
                       {"participants", meeting.rosterJson()},
                       {"floor", meeting.floor ? nlohmann::json(*meeting.floor) : nlohmann::json(nullptr)},
                       {"spotlight", meeting.spotlight ? nlohmann::json(*meeting.spotlight) : nlohmann::json(nullptr)},
                       {"speaker", meeting.speaker ? nlohmann::json(*meeting.speaker) : nlohmann::json(nullptr)},
                       {"locked", meeting.locked},
                       {"recording", recordings_->recording(meeting.id())},
                       {"resumed", lostAt.has_value()}};
  // The chair's attendance needs who was asked to come, not only who came (docs/PROTOCOL.md `join`).
  if (participant.role == tokens::Role::Host) reply["invited"] = invitedSitesJson(store_, meeting.info());
  return reply;
}

std::optional<nlohmann::json> MeetingService::leave(protocol::Connection& connection,
                                                    const protocol::Request& request) {
  Caller who = caller(connection);
  const std::string participantId = who.participant.id;
  seats_.erase(connection.id());
  who.participant.connection = nullptr;
  // Replied here, before the close, because a closing connection sends nothing more.
  connection.send(protocol::makeReply(request.id));
  removeParticipant(who.meeting, participantId, "left");
  connection.close("left the meeting");
  return std::nullopt;
}

void MeetingService::onClose(protocol::Connection& connection) {
  const auto seat = seats_.find(connection.id());
  if (seat == seats_.end()) return;
  const Seat gone = seat->second;
  seats_.erase(seat);
  auto meeting = meetings_.find(gone.meetingId);
  if (meeting == meetings_.end()) return;
  Participant* p = meeting->second->find(gone.participantId);
  if (p == nullptr) return;
  p->connection = nullptr;
  if (resumable()) {
    markLost(*meeting->second, *p, {{"cause", "signaling"}});
    return;
  }
  removeParticipant(*meeting->second, gone.participantId, "connection lost");
}

void MeetingService::removeParticipant(LiveMeeting& meeting, const std::string& participantId,
                                       std::string_view reason, const nlohmann::json& logExtra) {
  Participant* participant = meeting.find(participantId);
  if (participant == nullptr) return;
  if (participant->connection != nullptr) seats_.erase(participant->connection->id());
  recordings_->participantLeft(meeting, participantId);  // detached while the tracks still exist
  if (meeting.room() != nullptr) meeting.room()->removeParticipant(participantId);
  for (const auto& [trackId, track] : participant->tracks) {
    meeting.announce("track.removed", {{"track", {{"id", trackId}, {"participant", participantId},
                                                  {"kind", trackKindName(track.kind)}}}});
  }
  meeting.unseat(participantId);
  meeting.announce("participant.left", {{"participant", participantId}, {"reason", reason}}, logExtra);
  bool routingChanged = false;
  if (meeting.floor == participantId) {
    meeting.floor.reset();
    meeting.announce("floor.changed", {{"participant", nullptr}});
    routingChanged = true;
  }
  if (meeting.spotlight == participantId) {
    meeting.spotlight.reset();
    meeting.announce("spotlight.changed", {{"participant", nullptr}});
    routingChanged = true;
  }
  if (meeting.participants().empty()) {
    meeting.closeRoom();
    meeting.record("room.closed", nlohmann::json::object());
  } else if (routingChanged) {
    meeting.pushRouting();
  }
}

void MeetingService::endMeeting(const std::string& meetingId, std::string_view reason,
                                const nlohmann::json& logExtra) {
  auto it = meetings_.find(meetingId);
  if (it == meetings_.end()) return;
  LiveMeeting& meeting = *it->second;
  meeting.announce("meeting.ended", {{"reason", reason}}, logExtra);
  recordings_->meetingEnded(meeting);  // before the room goes; the archive closes when the files are final
  for (auto& [id, participant] : meeting.participants()) {
    if (participant.connection == nullptr) continue;
    seats_.erase(participant.connection->id());
    participant.connection->close("the meeting has ended");
    participant.connection = nullptr;
  }
  meeting.closeRoom();
  meeting.record("room.closed", nlohmann::json::object());
  meetings_.erase(it);
}

void MeetingService::withSeat(uint64_t connectionId, const std::string& meetingId, const std::string& participantId,
                              const std::function<void(LiveMeeting&, Participant&)>& send) {
  const auto seat = seats_.find(connectionId);
  if (seat == seats_.end() || seat->second.meetingId != meetingId || seat->second.participantId != participantId) {
    return;  // left, replaced or closed meanwhile: nobody is waiting for this answer
  }
  auto meeting = meetings_.find(meetingId);
  if (meeting == meetings_.end()) return;
  Participant* participant = meeting->second->find(participantId);
  if (participant == nullptr || participant->connection == nullptr) return;
  send(*meeting->second, *participant);
}

void MeetingService::onMeetingOpen(const store::Meeting& info) {
  auto it = meetings_.find(info.id);
  if (it != meetings_.end()) it->second->setInfo(info);
}

void MeetingService::onMeetingLive(const store::Meeting& info) {
  auto it = meetings_.find(info.id);
  if (it == meetings_.end()) return;
  it->second->setInfo(info);
  it->second->record("meeting.live", nlohmann::json::object());
  recordings_->applyPolicy(*it->second);
}

void MeetingService::onMeetingEndingSoon(const store::Meeting& info) {
  auto it = meetings_.find(info.id);
  if (it == meetings_.end()) return;
  using namespace std::chrono;
  const auto left = info.end - floor<seconds>(options_.now());
  // Rounded up: "1 minute left" until the end itself.
  const auto minutesLeft = left <= seconds::zero() ? 0 : (left.count() + 59) / 60;
  it->second->announce("meeting.ending", {{"endsAt", scheduler::formatUtc(info.end)}, {"minutesLeft", minutesLeft}});
}

void MeetingService::onMeetingEnded(const store::Meeting& info) {
  const bool cancelled = info.state == store::MeetingState::Cancelled;
  endMeeting(info.id, cancelled ? "the meeting was cancelled" : "the scheduled time is over");
}

}  // namespace diemcau::signaling::meeting
