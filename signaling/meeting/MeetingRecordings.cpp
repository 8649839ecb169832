#include "signaling/meeting/MeetingRecordings.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <system_error>

#include "signaling/archive/MeetingArchive.hpp"
#include "signaling/meeting/EventLog.hpp"
#include "signaling/meeting/WireNames.hpp"

namespace diemcau::signaling::meeting {

namespace fs = std::filesystem;

namespace {

bool sameTracks(const std::vector<bridge::TrackInfo>& a, const std::vector<bridge::TrackInfo>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].codec != b[i].codec || a[i].payloadType != b[i].payloadType) return false;
  }
  return true;
}

/// A participant id as a file name part: the characters of a meeting id, anything else as '_'.
std::string fileSafe(const std::string& id) {
  std::string out = id.substr(0, 64);
  for (char& c : out) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return out.empty() ? "participant" : out;
}

nlohmann::json tracksJson(const std::vector<bridge::TrackInfo>& tracks) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : tracks)
    out.push_back({{"id", t.id}, {"kind", trackKindName(t.kind)}, {"codec", t.codec}});
  return out;
}

}  // namespace

MeetingRecordings::MeetingRecordings(fs::path dataDir, store::Store& store, Post post, Find find)
    : dataDir_(std::move(dataDir)),
      store_(store),
      post_(std::move(post)),
      find_(std::move(find)),
      relay_(std::make_shared<Relay>(Relay{this})),
      desk_(std::make_shared<RecorderDesk>()) {}

MeetingRecordings::~MeetingRecordings() {
  relay_->target = nullptr;
  for (auto& [meetingId, state] : states_) {
    LiveMeeting* meeting = find_ ? find_(meetingId) : nullptr;
    for (auto& [participantId, entry] : state.entries) release(meeting, meetingId, std::move(entry));
    state.entries.clear();
  }
  // desk_ finalises what reached it; recordings still to be detached by a worker hold it alive.
}

bool MeetingRecordings::recording(const std::string& meetingId) const {
  const auto it = states_.find(meetingId);
  return it != states_.end() && it->second.on;
}

size_t MeetingRecordings::inFlight(const std::string& meetingId) const {
  const auto it = states_.find(meetingId);
  return it == states_.end() ? 0 : it->second.pending;
}

fs::path MeetingRecordings::folderOf(const std::string& meetingId) const {
  return EventLog::pathFor(dataDir_, meetingId).parent_path();
}

std::string MeetingRecordings::fileNameFor(const fs::path& folder, const std::string& participantId) const {
  // <participant>-<UTC start>.mkv: sorts by participant, then by time; a second file in the same
  // second gets a counter.
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  const std::string base = fileSafe(participantId) + "-" + stamp;
  std::string name = base + ".mkv";
  std::error_code error;
  for (int n = 2; fs::exists(fs::symlink_status(folder / name, error)); ++n)
    name = base + "-" + std::to_string(n) + ".mkv";
  return name;
}

bool MeetingRecordings::start(LiveMeeting& meeting, bool hostsOnly, const std::string& by) {
  State& state = states_[meeting.id()];
  if (state.on || state.ended) return false;
  state.hostsOnly = hostsOnly;
  setOn(meeting, state, true, by, "");
  return true;
}

bool MeetingRecordings::stop(LiveMeeting& meeting, const std::string& by) {
  auto it = states_.find(meeting.id());
  if (it == states_.end() || !it->second.on) return false;
  setOn(meeting, it->second, false, by, "");
  return true;
}

void MeetingRecordings::applyPolicy(LiveMeeting& meeting) {
  const store::Meeting& info = meeting.info();
  if (info.state != store::MeetingState::Live || info.recording == store::RecordingPolicy::None) return;
  State& state = states_[meeting.id()];
  if (state.policyApplied || state.ended) return;
  state.policyApplied = true;
  if (!available()) {
    spdlog::warn(
        "meeting {}: its policy asks for recording, but this server records nothing (no data directory)",
        meeting.id());
    return;
  }
  if (state.on) return;
  state.hostsOnly = info.recording == store::RecordingPolicy::Host;
  setOn(meeting, state, true, "", std::string(store::toString(info.recording)));
}

void MeetingRecordings::setOn(LiveMeeting& meeting, State& state, bool on, const std::string& by,
                              const std::string& policy) {
  state.on = on;
  nlohmann::json extra = nlohmann::json::object();
  if (!by.empty()) extra["by"] = by;
  if (!policy.empty()) extra["policy"] = policy;
  nlohmann::json fields = {{"recording", on}};
  if (on) fields["scope"] = state.hostsOnly ? "host" : "all";
  meeting.announce("recording.changed", fields, extra);
  sync(meeting.id());
}

std::vector<bridge::TrackInfo> MeetingRecordings::wanted(const State& state,
                                                         const Participant& participant) const {
  std::vector<bridge::TrackInfo> tracks;
  if (!state.on || (state.hostsOnly && participant.role != tokens::Role::Host)) return tracks;
  for (const auto& [id, track] : participant.tracks) {  // ordered by id: audio before video
    if (ParticipantRecording::recordable(track)) tracks.push_back(track);
  }
  return tracks;
}

void MeetingRecordings::trackAdded(LiveMeeting& meeting, const bridge::TrackInfo& track) {
  auto it = states_.find(meeting.id());
  if (it == states_.end()) return;
  State& state = it->second;
  auto entry = state.entries.find(track.participantId);
  if (entry == state.entries.end()) return;
  const auto& tracks = entry->second.tracks;
  if (std::none_of(tracks.begin(), tracks.end(), [&](const auto& t) { return t.id == track.id; })) return;
  // Same id, new stream: the old recording's track is gone; a new file takes the new one.
  Entry old = std::move(entry->second);
  state.entries.erase(entry);
  release(&meeting, meeting.id(), std::move(old));
}

void MeetingRecordings::tracksChanged(LiveMeeting& meeting) {
  auto it = states_.find(meeting.id());
  if (it == states_.end()) return;
  State& state = it->second;
  if (state.syncQueued || !post_) return;
  state.syncQueued = true;
  post_([relay = std::weak_ptr<Relay>(relay_), meetingId = meeting.id()] {
    if (auto r = relay.lock(); r && r->target != nullptr) r->target->sync(meetingId);
  });
}

void MeetingRecordings::participantLeft(LiveMeeting& meeting, const std::string& participantId) {
  auto it = states_.find(meeting.id());
  if (it == states_.end()) return;
  auto entry = it->second.entries.find(participantId);
  if (entry == it->second.entries.end()) return;
  Entry leaving = std::move(entry->second);
  it->second.entries.erase(entry);
  release(&meeting, meeting.id(), std::move(leaving));
}

void MeetingRecordings::meetingEnded(LiveMeeting& meeting) {
  State& state = states_[meeting.id()];
  if (state.on) {
    state.on = false;
    meeting.announce("recording.changed", {{"recording", false}});
  }
  state.ended = true;
  for (auto& [participantId, entry] : state.entries) release(&meeting, meeting.id(), std::move(entry));
  state.entries.clear();
  maybeCloseArchive(meeting.id());
}

void MeetingRecordings::sync(const std::string& meetingId) {
  auto it = states_.find(meetingId);
  if (it == states_.end()) return;
  State& state = it->second;
  state.syncQueued = false;
  LiveMeeting* meeting = find_(meetingId);
  if (meeting == nullptr || state.ended) return;
  std::map<std::string, std::vector<bridge::TrackInfo>> want;
  if (available()) {
    for (const auto& [id, participant] : meeting->participants()) {
      auto tracks = wanted(state, participant);
      if (!tracks.empty()) want.emplace(id, std::move(tracks));
    }
  }
  for (auto entry = state.entries.begin(); entry != state.entries.end();) {
    const auto w = want.find(entry->first);
    if (w != want.end() && sameTracks(w->second, entry->second.tracks)) {
      ++entry;
      continue;
    }
    Entry old = std::move(entry->second);
    entry = state.entries.erase(entry);
    release(meeting, meetingId, std::move(old));
  }
  for (auto& [participantId, tracks] : want) {
    if (!state.entries.contains(participantId)) begin(*meeting, state, participantId, std::move(tracks));
  }
}

void MeetingRecordings::begin(LiveMeeting& meeting, State& state, const std::string& participantId,
                              std::vector<bridge::TrackInfo> tracks) {
  Entry& entry = state.entries[participantId];
  entry.serial = nextSerial_++;
  entry.participantId = participantId;
  entry.tracks = tracks;
  const fs::path folder = folderOf(meeting.id());
  std::error_code error;
  fs::create_directories(folder, error);
  if (error || !fs::is_directory(folder)) {
    // Kept as an entry without a recording, so the same tracks are not retried over and over.
    onFailed(meeting.id(), participantId, "",
             "cannot create the archive folder " + folder.string() +
                 (error ? ": " + error.message() : std::string()));
    return;
  }
  entry.file = fileNameFor(folder, participantId);
  // Created here, owner-only like the rest of the archive (the recorder's file sink keeps the mode).
  const int fd = ::open((folder / entry.file).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  ++state.pending;
  log(meeting.id(), "recording.started",
      {{"participant", participantId}, {"file", entry.file}, {"tracks", tracksJson(tracks)}});

  RecordingTarget target{meeting.id(), participantId, folder / entry.file, std::move(tracks)};
  const std::weak_ptr<Relay> relay = relay_;
  ParticipantRecording::Signals signals;
  signals.failed = [post = post_, relay, meetingId = meeting.id(), participantId,
                    file = entry.file](const std::string& message) {
    post([relay, meetingId, participantId, file, message] {
      if (auto r = relay.lock(); r && r->target != nullptr)
        r->target->onFailed(meetingId, participantId, file, message);
    });
  };
  signals.keyframeNeeded = [post = post_, relay, meetingId = meeting.id()](const std::string& trackId) {
    post([relay, meetingId, trackId] {
      if (auto r = relay.lock(); r && r->target != nullptr) r->target->onKeyframeNeeded(meetingId, trackId);
    });
  };
  desk_->run([post = post_, relay, desk = std::weak_ptr<RecorderDesk>(desk_), target = std::move(target),
              signals = std::move(signals), serial = entry.serial]() mutable {
    const std::string meetingId = target.meetingId;
    const std::string who = target.participantId;
    const std::string file = target.file.filename().string();
    std::shared_ptr<ParticipantRecording> recording;
    try {
      recording = std::make_shared<ParticipantRecording>(std::move(target), std::move(signals));
    } catch (const std::exception& e) {
      post([relay, meetingId, who, file, message = std::string(e.what())] {
        auto r = relay.lock();
        if (!r || r->target == nullptr) return;
        r->target->onFailed(meetingId, who, file, message);
        r->target->onStopped(meetingId, who, file, {});
      });
      return;
    }
    post([relay, desk, meetingId, serial, recording = std::move(recording)]() mutable {
      if (auto r = relay.lock(); r && r->target != nullptr) {
        r->target->onBuilt(meetingId, serial, std::move(recording));
      } else if (auto d = desk.lock()) {
        // Nobody wants it any more; it was never attached, so it can stop at once.
        d->run([recording = std::move(recording)] { recording->stop(); });
      }
    });
  });
}

void MeetingRecordings::onBuilt(const std::string& meetingId, uint64_t serial,
                                std::shared_ptr<ParticipantRecording> recording) {
  const std::string participantId = recording->target().participantId;
  const std::string file = recording->target().file.filename().string();
  auto it = states_.find(meetingId);
  LiveMeeting* meeting = find_(meetingId);
  if (it != states_.end() && meeting != nullptr && meeting->room() != nullptr) {
    auto entry = it->second.entries.find(participantId);
    if (entry != it->second.entries.end() && entry->second.serial == serial) {
      meeting->room()->attachRecorder(recording->taps());
      entry->second.recording = std::move(recording);
      return;
    }
  }
  // Released while it was being built: never attached, so no worker holds its taps.
  stopOnDesk(meetingId, participantId, file, std::move(recording));
}

void MeetingRecordings::release(LiveMeeting* meeting, const std::string& meetingId, Entry entry) {
  if (!entry.recording) return;  // still being built (onBuilt stops it), or never started
  const std::string participantId = entry.participantId;
  const std::string file = entry.file;
  RoomPort* room = meeting != nullptr ? meeting->room() : nullptr;
  if (room == nullptr) {
    // Only reachable when the room went without a release first; its tracks died on the worker
    // with it, after every packet they gave, which is what detaching waits for anyway.
    stopOnDesk(meetingId, participantId, file, std::move(entry.recording));
    return;
  }
  const auto taps = entry.recording->taps();
  // Runs on the worker after the taps are detached: hands the recording to the desk without
  // keeping a reference there (the desk's job is the last holder).
  room->detachRecorder(taps, [relay = std::weak_ptr<Relay>(relay_), desk = desk_, post = post_, meetingId,
                              participantId, file, recording = std::move(entry.recording)]() mutable {
    desk->run([post, relay, meetingId, participantId, file, recording = std::move(recording)]() mutable {
      const ParticipantRecording::Result result = recording->stop();
      recording.reset();
      post([relay, meetingId, participantId, file, result] {
        if (auto r = relay.lock(); r && r->target != nullptr)
          r->target->onStopped(meetingId, participantId, file, result);
      });
    });
  });
}

void MeetingRecordings::stopOnDesk(const std::string& meetingId, const std::string& participantId,
                                   const std::string& file, std::shared_ptr<ParticipantRecording> recording) {
  desk_->run([post = post_, relay = std::weak_ptr<Relay>(relay_), meetingId, participantId, file,
              recording = std::move(recording)]() mutable {
    const ParticipantRecording::Result result = recording->stop();
    recording.reset();
    post([relay, meetingId, participantId, file, result] {
      if (auto r = relay.lock(); r && r->target != nullptr)
        r->target->onStopped(meetingId, participantId, file, result);
    });
  });
}

void MeetingRecordings::onStopped(const std::string& meetingId, const std::string& participantId,
                                  const std::string& file, const ParticipantRecording::Result& result) {
  log(meetingId, "recording.stopped",
      {{"participant", participantId},
       {"file", file},
       {"packetsWritten", result.packetsWritten},
       {"droppedPackets", result.droppedPackets},
       {"failed", result.failed}});
  if (result.droppedPackets != 0) {
    spdlog::warn("meeting {}: recording {} dropped {} packets", meetingId, file, result.droppedPackets);
  }
  auto it = states_.find(meetingId);
  if (it == states_.end()) return;
  if (it->second.pending > 0) --it->second.pending;
  maybeCloseArchive(meetingId);
}

void MeetingRecordings::onFailed(const std::string& meetingId, const std::string& participantId,
                                 const std::string& file, const std::string& message) {
  spdlog::error("meeting {}: the recording of {} ({}) failed: {}; the meeting goes on", meetingId,
                participantId, file.empty() ? "no file" : file, message);
  const nlohmann::json fields = {{"participant", participantId}, {"file", file}, {"message", message}};
  log(meetingId, "recording.failed", fields);
  LiveMeeting* meeting = find_(meetingId);
  if (meeting == nullptr) return;
  for (auto& [id, participant] : meeting->participants()) {
    if (participant.role == tokens::Role::Host) meeting->sendTo(participant, "recording.failed", fields);
  }
}

void MeetingRecordings::onKeyframeNeeded(const std::string& meetingId, const std::string& trackId) {
  LiveMeeting* meeting = find_(meetingId);
  if (meeting != nullptr && meeting->room() != nullptr) meeting->room()->requestKeyframe(trackId);
}

void MeetingRecordings::log(const std::string& meetingId, std::string_view type,
                            const nlohmann::json& fields) {
  if (LiveMeeting* meeting = find_(meetingId)) {
    meeting->record(type, fields);
    return;
  }
  if (dataDir_.empty() || !EventLog::isSafeMeetingId(meetingId)) return;
  EventLog late(EventLog::pathFor(dataDir_, meetingId));
  late.append(std::chrono::system_clock::now(), type, fields);
}

void MeetingRecordings::maybeCloseArchive(const std::string& meetingId) {
  auto it = states_.find(meetingId);
  if (it == states_.end() || !it->second.ended || it->second.pending != 0) return;
  states_.erase(it);
  // Later, so that what the meeting's end still logs (room.closed) is inside the sums.
  if (post_) {
    post_([relay = std::weak_ptr<Relay>(relay_), meetingId] {
      if (auto r = relay.lock(); r && r->target != nullptr) r->target->closeArchive(meetingId);
    });
  }
}

void MeetingRecordings::closeArchive(const std::string& meetingId) {
  if (dataDir_.empty() || !EventLog::isSafeMeetingId(meetingId)) return;
  if (!fs::exists(EventLog::pathFor(dataDir_, meetingId))) return;
  try {
    // The minutes now; the recordings are hashed on the closer's thread, off the signaling thread.
    if (!closer_) closer_ = std::make_unique<archive::ArchiveCloser>(dataDir_, store_, post_);
    closer_->close(meetingId, [](const archive::ArchiveCloser::Closed& closed) {
      if (closed.ok) {
        spdlog::info("meeting {}: archive closed ({} recordings, minutes and SHA256SUMS written)", closed.meetingId,
                     closed.recordings);
      } else {
        spdlog::error("meeting {}: SHA256SUMS could not be written: {}", closed.meetingId, closed.error);
      }
    });
  } catch (const std::exception& e) {
    spdlog::error("meeting {}: the archive could not be closed: {}", meetingId, e.what());
  }
}

}  // namespace diemcau::signaling::meeting
