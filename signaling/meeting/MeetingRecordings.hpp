#pragma once
// Live recording of meetings (docs/PROTOCOL.md, "Recording"): which participant is being recorded
// into which file of the meeting's archive folder, and the archive's closing at the meeting's end.
//
//   MeetingService ──sync──▶ MeetingRecordings ──run(build)──▶ RecorderDesk ──▶ ParticipantRecording
//        ▲                        │    ▲                                              │
//        │                        │    └─────────── post(built) ◀─────────────────────┘
//        │                        └──RoomPort::attachRecorder / detachRecorder──▶ worker: PublishedTrack
//        sinks └── recording.* events ◀── post(stopped / failed) ◀── RecorderDesk, recorder threads
//
// While a meeting records, every participant who publishes (only the hosts under the "host" policy)
// has one file; it is closed when the participant leaves, is replaced or publishes anew, and a later
// return opens a new file. A recording is always detached on the worker before it is stopped, and
// stopped on the desk, never on the worker or the signaling thread. When the meeting ends, the
// archive is closed (minutes, SHA256SUMS) once the last of its files is finalised.
//
// Signaling thread only, except where noted.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "signaling/archive/ArchiveCloser.hpp"
#include "signaling/meeting/LiveMeeting.hpp"
#include "signaling/meeting/ParticipantRecording.hpp"
#include "signaling/meeting/RecorderDesk.hpp"
#include "signaling/store/Store.hpp"

namespace diemcau::signaling::meeting {

class MeetingRecordings {
 public:
  /// Runs a task on the signaling thread later (never inside the call); thread-safe.
  using Post = std::function<void(std::function<void()>)>;
  /// The live meeting of an id, or null.
  using Find = std::function<LiveMeeting*(const std::string& meetingId)>;

  /// Without `post` or `dataDir` nothing is recorded (available() is false) and no archive is closed.
  MeetingRecordings(std::filesystem::path dataDir, store::Store& store, Post post, Find find);
  /// Stops every recording (finalised on the desk before it is destroyed).
  ~MeetingRecordings();
  MeetingRecordings(const MeetingRecordings&) = delete;
  MeetingRecordings& operator=(const MeetingRecordings&) = delete;

  bool available() const { return post_ && !dataDir_.empty(); }
  bool recording(const std::string& meetingId) const;

  /// Starts recording (every publisher, or only the hosts); false if it already records. `by` is the
  /// chair who asked, empty when the meeting's policy started it.
  bool start(LiveMeeting& meeting, bool hostsOnly, const std::string& by);
  /// Stops recording; false if it was not recording.
  bool stop(LiveMeeting& meeting, const std::string& by);
  /// The meeting went live (or was found live when it was first joined): applies its recording
  /// policy, once per meeting.
  void applyPolicy(LiveMeeting& meeting);

  /// Tracks were removed, a publish was answered (every track it made has been reported before its
  /// answer, so one file takes them together), or a seat was replaced: the files follow, after the
  /// reports already queued.
  void tracksChanged(LiveMeeting& meeting);
  /// A track was reported: a recording that held an older track of the same id is closed (its track is
  /// gone); the new one is recorded once the publish is answered (tracksChanged).
  void trackAdded(LiveMeeting& meeting, const bridge::TrackInfo& track);
  /// The participant is leaving; call while the room still exists.
  void participantLeft(LiveMeeting& meeting, const std::string& participantId);
  /// The meeting ends; call before its room is closed. The archive closes when its files are final.
  void meetingEnded(LiveMeeting& meeting);

  /// How many recordings are being built, written or finalised (tests).
  size_t inFlight(const std::string& meetingId) const;

 private:
  struct Entry {
    uint64_t serial = 0;
    std::string participantId;
    std::vector<bridge::TrackInfo> tracks;
    std::string file;                                 // name inside the archive folder
    std::shared_ptr<ParticipantRecording> recording;  // null while it is being built, or if it failed to
  };
  struct State {
    bool on = false;
    bool hostsOnly = false;
    bool policyApplied = false;
    bool syncQueued = false;
    bool ended = false;
    size_t pending = 0;                    // recordings not yet finalised
    std::map<std::string, Entry> entries;  // by participant
  };
  /// The way back from other threads; cleared when this object goes.
  struct Relay {
    MeetingRecordings* target = nullptr;
  };

  std::filesystem::path folderOf(const std::string& meetingId) const;
  std::string fileNameFor(const std::filesystem::path& folder, const std::string& participantId) const;
  std::vector<bridge::TrackInfo> wanted(const State& state, const Participant& participant) const;
  void sync(const std::string& meetingId);
  void begin(LiveMeeting& meeting, State& state, const std::string& participantId,
             std::vector<bridge::TrackInfo> tracks);
  /// Detaches (through the room, when it exists and the recording is attached) and stops on the desk.
  void release(LiveMeeting* meeting, const std::string& meetingId, Entry entry);
  void stopOnDesk(const std::string& meetingId, const std::string& participantId, const std::string& file,
                  std::shared_ptr<ParticipantRecording> recording);
  void setOn(LiveMeeting& meeting, State& state, bool on, const std::string& by, const std::string& policy);

  // Reports coming back (signaling thread).
  void onBuilt(const std::string& meetingId, uint64_t serial,
               std::shared_ptr<ParticipantRecording> recording);
  void onStopped(const std::string& meetingId, const std::string& participantId, const std::string& file,
                 const ParticipantRecording::Result& result);
  void onFailed(const std::string& meetingId, const std::string& participantId, const std::string& file,
                const std::string& message);
  void onKeyframeNeeded(const std::string& meetingId, const std::string& trackId);

  /// Appends to the meeting's events.jsonl, also after the meeting ended.
  void log(const std::string& meetingId, std::string_view type, const nlohmann::json& fields);
  void maybeCloseArchive(const std::string& meetingId);
  void closeArchive(const std::string& meetingId);

  std::filesystem::path dataDir_;
  store::Store& store_;
  Post post_;
  Find find_;
  std::shared_ptr<Relay> relay_;
  std::shared_ptr<RecorderDesk> desk_;
  std::map<std::string, State> states_;
  uint64_t nextSerial_ = 1;
  /// Hashes closed archives on its own thread (made with the first close).
  std::unique_ptr<archive::ArchiveCloser> closer_;
};

}  // namespace diemcau::signaling::meeting
