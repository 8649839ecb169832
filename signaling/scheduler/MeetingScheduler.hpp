#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "signaling/store/Store.hpp"

namespace diemcau::signaling::scheduler {

struct SchedulerOptions {
  std::chrono::minutes endingSoonWarning{5};
  /// After the scheduled end the room stays open this long, so a speaker can finish.
  std::chrono::minutes grace{5};
};

/**
 * Drives meeting states from the clock: scheduled -> open (lobbyLead before start) -> live (at start) ->
 * ended (at end + grace), with a warning at end - endingSoonWarning. Recurring series create each occurrence
 * as a meeting of its own (id "<series>-<YYYYMMDD>", deterministic so a restart never creates it twice) when
 * its lobby opens. State is written to the store before the listener hears of it, so a crash between the two
 * is repaired by recover(). Signaling thread only; no timers of its own (see SchedulerTimer), so tests call
 * runDue() with any time they like.
 */
class MeetingScheduler {
 public:
  /// Called on the signaling thread from runDue()/recover(); must not call back into the scheduler.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onMeetingOpen(const store::Meeting& meeting) = 0;
    /// Create the room, start recording per policy. Also called by recover() for a meeting that was live
    /// when the server stopped, so the room comes back and the same tokens join it again.
    virtual void onMeetingLive(const store::Meeting& meeting) = 0;
    virtual void onMeetingEndingSoon(const store::Meeting& meeting) = 0;
    /// Close the room and tell everyone. Also after a cancel of an open or live meeting.
    virtual void onMeetingEnded(const store::Meeting& meeting) = 0;
  };

  MeetingScheduler(store::Store& store, Listener& listener, SchedulerOptions options = {});

  /// At start-up: re-announces open and live meetings, then applies what fell due while the server was down.
  std::optional<std::chrono::sys_seconds> recover(std::chrono::sys_seconds now);

  /// Applies every transition due at `now`; returns when it next needs to run (nullopt: nothing pending).
  std::optional<std::chrono::sys_seconds> runDue(std::chrono::sys_seconds now);

  /// Cancels a meeting that has not ended; tells the listener when its room existed. False when it had ended.
  bool cancel(const std::string& meetingId, std::chrono::sys_seconds now);

 private:
  store::MeetingState targetState(const store::Meeting& m, std::chrono::sys_seconds now) const;
  void advance(store::Meeting& m, std::chrono::sys_seconds now,
               std::optional<std::chrono::sys_seconds>& wake);
  void expandSeries(const store::Meeting& series, std::chrono::sys_seconds now,
                    std::optional<std::chrono::sys_seconds>& wake);

  store::Store& store_;
  Listener& listener_;
  SchedulerOptions options_;
  std::set<std::string> warned_;
};

}  // namespace diemcau::signaling::scheduler
