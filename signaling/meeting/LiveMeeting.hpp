#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "signaling/meeting/EventLog.hpp"
#include "signaling/meeting/Participant.hpp"
#include "signaling/meeting/RoomPort.hpp"
#include "signaling/store/Meeting.hpp"

namespace diemcau::signaling::meeting {

/**
 * The state of one meeting while people are in it: participants, floor, spotlight, chair mutes, lock,
 * its event log and its room. Pure bookkeeping plus fan-out; the rules live in MeetingService.
 * Signaling thread only.
 *
 * Chair mutes belong to the meeting, not to a connection, so a muted site that reconnects is still muted.
 */
class LiveMeeting {
 public:
  using Now = std::function<std::chrono::system_clock::time_point()>;

  /// `log` may be null (no data directory, or an id that cannot be a folder name).
  LiveMeeting(store::Meeting info, std::unique_ptr<EventLog> log, Now now);
  ~LiveMeeting();

  const std::string& id() const { return info_.id; }
  const store::Meeting& info() const { return info_; }
  void setInfo(const store::Meeting& info) { info_ = info; }

  Participant* find(const std::string& participantId);
  /// Adds a participant, or replaces the seat's record when the id is present.
  Participant& seat(Participant participant);
  void unseat(const std::string& participantId);
  const std::map<std::string, Participant>& participants() const { return participants_; }
  std::map<std::string, Participant>& participants() { return participants_; }

  std::optional<std::string> floor;
  std::optional<std::string> spotlight;
  /// Who the room last reported as dominant speaker ("speaker.changed").
  std::optional<std::string> speaker;
  unsigned audioLastN = bridge::RoutingState{}.audioLastN;
  unsigned videoLastN = bridge::RoutingState{}.videoLastN;
  bool locked = false;
  bool isAudioMuted(const std::string& participantId) const { return audioMuted_.contains(participantId); }
  void setAudioMuted(const std::string& participantId, bool muted);

  RoomPort* room() { return room_.get(); }
  /// Installs the room; `events` is kept alive for as long as the port.
  void setRoom(std::unique_ptr<RoomPort::Events> events, std::unique_ptr<RoomPort> room);
  /// Destroys the room (its tracks and connections go with it on the worker).
  void closeRoom();
  /// Sends the current floor, spotlight and mutes to the room.
  void pushRouting();
  bridge::RoutingState routingState() const;

  /// Sends {"type":type,...fields} to every participant except `except`, and appends it to the event log
  /// with `logExtra` (e.g. {"by": chair}) merged in.
  void announce(std::string_view type, const nlohmann::json& fields, const nlohmann::json& logExtra = {},
                const std::string* except = nullptr);
  /// Appends to the event log only.
  void record(std::string_view type, const nlohmann::json& fields);
  /// Sends an event to one participant; not logged.
  void sendTo(Participant& participant, std::string_view type, const nlohmann::json& fields);

  /// {id, displayName, role}
  nlohmann::json participantJson(const Participant& participant) const;
  /// [{id, displayName, role, tracks:[{id,kind}], hand, audioMuted, reconnecting, quality?}], ordered by id.
  nlohmann::json rosterJson() const;
  /// {id, title, state, agenda}
  nlohmann::json meetingJson() const;

  const EventLog* eventLog() const { return log_.get(); }
  std::chrono::system_clock::time_point now() const { return now_(); }

 private:
  store::Meeting info_;
  std::unique_ptr<EventLog> log_;
  Now now_;
  std::map<std::string, Participant> participants_;
  std::set<std::string> audioMuted_;
  // Declared after the events relay so that the port, which may hold a reference to it, dies first.
  std::unique_ptr<RoomPort::Events> roomEvents_;
  std::unique_ptr<RoomPort> room_;
};

}  // namespace diemcau::signaling::meeting
