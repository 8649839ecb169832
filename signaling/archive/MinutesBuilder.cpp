#include "signaling/archive/MinutesBuilder.hpp"

#include <algorithm>
#include <map>

namespace diemcau::signaling::archive {

namespace {

using Json = nlohmann::json;

std::string stringField(const Json& fields, const char* name) {
  const auto it = fields.find(name);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// "participant" is an id in most events and an object {id, displayName, role} in participant.joined.
std::string participantId(const Json& fields) {
  const auto it = fields.find("participant");
  if (it == fields.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) return stringField(*it, "id");
  return {};
}

double numberField(const Json& fields, const char* name) {
  const auto it = fields.find(name);
  return it != fields.end() && it->is_number() ? it->get<double>() : 0.0;
}

class Builder {
 public:
  Builder(const store::Meeting& meeting, const std::function<std::optional<std::string>(const std::string&)>& name)
      : meeting_(meeting), siteName_(name) {
    minutes_.meetingId = meeting.id;
    minutes_.title = meeting.title;
    minutes_.agenda = meeting.agenda;
    minutes_.timeZone = meeting.timeZone;
    minutes_.hostSiteId = meeting.hostSiteId;
  }

  Minutes build(const EventLogContents& log) {
    minutes_.malformedLines = log.malformedLines;
    const bool haveSpeakerEvents = std::any_of(log.events.begin(), log.events.end(),
                                               [](const ArchiveEvent& e) { return e.type == "speaker.changed"; });
    minutes_.speakingSource = haveSpeakerEvents ? "audio-level" : "floor";
    if (!log.events.empty()) minutes_.startedMs = log.events.front().atMs;
    int64_t lastMs = minutes_.startedMs;
    std::optional<int64_t> endedMs;
    std::optional<int64_t> closedMs;
    for (const ArchiveEvent& event : log.events) {
      lastMs = std::max(lastMs, event.atMs);
      if (event.type == "meeting.ended") {
        endedMs = event.atMs;
        minutes_.endReason = stringField(event.fields, "reason");
      } else if (event.type == "room.closed") {
        closedMs = event.atMs;
      } else if (event.type == "meeting.interrupted") {
        minutes_.interrupted = true;
        endedMs = event.atMs;
      }
      apply(event, haveSpeakerEvents);
    }
    minutes_.endedMs = endedMs ? *endedMs : closedMs ? *closedMs : lastMs;
    closeEverything(minutes_.endedMs);
    addInvitedSites();
    finishSites();
    return std::move(minutes_);
  }

 private:
  struct Open {
    std::optional<int64_t> presentSince;
  };

  SiteAttendance& site(const std::string& id) {
    auto it = index_.find(id);
    if (it == index_.end()) {
      it = index_.emplace(id, minutes_.sites.size()).first;
      SiteAttendance attendance;
      attendance.id = id;
      if (auto name = siteName_ ? siteName_(id) : std::nullopt) attendance.displayName = *name;
      minutes_.sites.push_back(std::move(attendance));
      open_.emplace_back();
    }
    return minutes_.sites[it->second];
  }
  Open& openOf(const std::string& id) {
    site(id);
    return open_[index_.at(id)];
  }

  void chairAction(const ArchiveEvent& event, std::string action, std::string target) {
    const std::string by = stringField(event.fields, "by");
    if (by.empty()) return;  // not done by a chair (a site left, the schedule ended the meeting)
    minutes_.chairActions.push_back({event.atMs, by, std::move(action), std::move(target)});
  }

  void apply(const ArchiveEvent& event, bool speakerEvents) {
    const Json& f = event.fields;
    const std::string& type = event.type;
    if (type == "participant.joined") {
      join(event);
    } else if (type == "participant.left") {
      const std::string id = participantId(f);
      const std::string reason = stringField(f, "reason");
      if (id.empty() || reason == "replaced") return;  // the newer connection carries on
      const bool afterResumeWindow = reason == "connection lost" && !openOf(id).presentSince;
      if (reason == "connection lost" && !afterResumeWindow) ++site(id).connectionLosses;
      if (reason == "removed") chairAction(event, "remove", id);
      leave(id, event.atMs, reason.empty() ? "left" : reason);
    } else if (type == "participant.reconnecting") {
      // The seat is held for the resume window: the site is absent from now until it is back (or for
      // good when the window ends with participant.left, which then closes nothing more).
      const std::string id = participantId(f);
      if (id.empty()) return;
      ++site(id).connectionLosses;
      leave(id, event.atMs, "connection lost");
    } else if (type == "participant.reconnected") {
      const std::string id = participantId(f);
      if (id.empty()) return;
      Open& open = openOf(id);
      if (!open.presentSince) open.presentSince = event.atMs;
    } else if (type == "floor.changed") {
      const std::string id = participantId(f);
      if (!speakerEvents) speak(id, event.atMs);
      if (!id.empty()) {
        ++site(id).floorGrants;
        minutes_.floor.push_back({event.atMs, "grant", id});
        chairAction(event, "floor.give", id);
      } else {
        minutes_.floor.push_back({event.atMs, "release", ""});
        chairAction(event, "floor.take", "");
      }
    } else if (type == "hand.changed") {
      const std::string id = participantId(f);
      const auto raised = f.find("raised");
      if (id.empty() || raised == f.end() || !raised->is_boolean()) return;
      if (raised->get<bool>()) {
        ++site(id).handRaises;
        minutes_.floor.push_back({event.atMs, "request", id});
      } else if (stringField(f, "by").empty()) {
        minutes_.floor.push_back({event.atMs, "withdrawn", id});
      }
    } else if (type == "mute.changed") {
      const auto muted = f.find("audioMuted");
      const bool on = muted != f.end() && muted->is_boolean() && muted->get<bool>();
      chairAction(event, on ? "mute" : "unmute", participantId(f));
    } else if (type == "spotlight.changed") {
      chairAction(event, "spotlight", participantId(f));
    } else if (type == "meeting.locked") {
      const auto locked = f.find("locked");
      chairAction(event, locked != f.end() && locked->is_boolean() && locked->get<bool>() ? "lock" : "unlock", "");
    } else if (type == "meeting.ended") {
      chairAction(event, "end", "");
    } else if (type == "recording.changed") {
      const auto on = f.find("recording");
      chairAction(event, on != f.end() && on->is_boolean() && on->get<bool>() ? "recording.start" : "recording.stop",
                  "");
    } else if (type == "chat") {
      minutes_.chat.push_back({event.atMs, stringField(f, "from"), stringField(f, "text")});
    } else if (type == "speaker.changed") {
      speak(participantId(f), event.atMs);
    } else if (type == "link.quality") {
      const std::string id = participantId(f);
      if (id.empty()) return;
      SiteAttendance& s = site(id);
      ++s.linkSamples;
      s.meanFractionLost += (numberField(f, "fractionLost") - s.meanFractionLost) / s.linkSamples;
      s.meanRttMs += (numberField(f, "rttMs") - s.meanRttMs) / s.linkSamples;
    } else if (type.starts_with("recording.")) {
      recording(event);
    }
  }

  void join(const ArchiveEvent& event) {
    const auto p = event.fields.find("participant");
    if (p == event.fields.end() || !p->is_object()) return;
    const std::string id = stringField(*p, "id");
    if (id.empty()) return;
    SiteAttendance& s = site(id);
    const std::string name = stringField(*p, "displayName");
    if (!name.empty()) s.displayName = name;
    const std::string role = stringField(*p, "role");
    if (!role.empty()) s.role = role;
    if (role == "host" && std::find(minutes_.chairs.begin(), minutes_.chairs.end(), s.displayName) ==
                              minutes_.chairs.end()) {
      minutes_.chairs.push_back(s.displayName);
    }
    Open& open = openOf(id);
    if (!open.presentSince) open.presentSince = event.atMs;  // a replacement keeps the interval going
  }

  void leave(const std::string& id, int64_t atMs, std::string reason) {
    Open& open = openOf(id);
    if (!open.presentSince) return;
    site(id).present.push_back({*open.presentSince, atMs, std::move(reason)});
    open.presentSince.reset();
    if (speaker_ == id) speak("", atMs);
  }

  void speak(const std::string& id, int64_t atMs) {
    if (!speaker_.empty()) site(speaker_).speakingMs += atMs - speakerSince_;
    speaker_ = id;
    speakerSince_ = atMs;
  }

  void recording(const ArchiveEvent& event) {
    const std::string file = stringField(event.fields, "file");
    if (file.empty()) return;
    auto it = std::find_if(minutes_.recordings.begin(), minutes_.recordings.end(),
                           [&](const RecordingEntry& r) { return r.file == file; });
    if (it == minutes_.recordings.end()) {
      RecordingEntry entry;
      entry.file = file;
      entry.participant = participantId(event.fields);
      minutes_.recordings.push_back(std::move(entry));
      it = std::prev(minutes_.recordings.end());
    }
    if (event.type == "recording.started") {
      it->startedMs = event.atMs;
    } else if (event.type == "recording.stopped") {
      it->stoppedMs = event.atMs;
      it->droppedPackets = static_cast<uint64_t>(numberField(event.fields, "droppedPackets"));
    } else if (event.type == "recording.failed") {
      it->failure = stringField(event.fields, "message");
    }
  }

  void closeEverything(int64_t endMs) {
    for (const auto& [id, index] : index_) {
      if (open_[index].presentSince) leave(id, endMs, "meeting ended");
    }
    speak("", endMs);
  }

  void addInvitedSites() {
    std::vector<std::string> invited = meeting_.invitedSiteIds;
    if (!meeting_.hostSiteId.empty()) invited.insert(invited.begin(), meeting_.hostSiteId);
    for (const std::string& id : invited) site(id).invited = true;
  }

  void finishSites() {
    for (SiteAttendance& s : minutes_.sites) {
      if (s.displayName.empty()) s.displayName = s.id;
      for (const Interval& i : s.present) s.presentMs += i.toMs - i.fromMs;
      if (s.id == meeting_.hostSiteId) minutes_.hostName = s.displayName;
    }
    // Host first, then who attended (by first arrival), then the invited who never came.
    const std::string host = meeting_.hostSiteId;
    std::stable_sort(minutes_.sites.begin(), minutes_.sites.end(), [&](const SiteAttendance& a, const SiteAttendance& b) {
      auto rank = [&](const SiteAttendance& s) { return s.id == host ? 0 : s.absent() ? 2 : 1; };
      if (rank(a) != rank(b)) return rank(a) < rank(b);
      if (!a.absent() && !b.absent()) return a.present.front().fromMs < b.present.front().fromMs;
      return false;
    });
  }

  const store::Meeting& meeting_;
  const std::function<std::optional<std::string>(const std::string&)>& siteName_;
  Minutes minutes_;
  std::map<std::string, size_t> index_;
  std::vector<Open> open_;
  std::string speaker_;
  int64_t speakerSince_ = 0;
};

}  // namespace

Minutes buildMinutes(const store::Meeting& meeting, const EventLogContents& log,
                     const std::function<std::optional<std::string>(const std::string&)>& siteName) {
  return Builder(meeting, siteName).build(log);
}

}  // namespace diemcau::signaling::archive
