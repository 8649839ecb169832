#include "signaling/scheduler/MeetingScheduler.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "signaling/scheduler/RecurrenceRule.hpp"

namespace diemcau::signaling::scheduler {

using namespace std::chrono;
using store::Meeting;
using store::MeetingState;

namespace {

int rank(MeetingState s) {
  switch (s) {
    case MeetingState::Scheduled:
      return 0;
    case MeetingState::Open:
      return 1;
    case MeetingState::Live:
      return 2;
    case MeetingState::Ended:
      return 3;
    case MeetingState::Cancelled:
      return 4;
  }
  return 0;
}

void earliest(std::optional<sys_seconds>& wake, sys_seconds t) {
  if (!wake || t < *wake) wake = t;
}

TimeZone zoneOf(const Meeting& m) {
  auto zone = TimeZone::load(m.timeZone);
  if (!zone) {
    spdlog::warn("scheduler: meeting {} names unknown time zone '{}', using UTC", m.id, m.timeZone);
    return TimeZone::utc();
  }
  return *zone;
}

std::string occurrenceId(const Meeting& series, sys_seconds start, const TimeZone& zone) {
  year_month_day ymd{floor<days>(zone.toLocal(start))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return series.id + "-" + buf;
}

}  // namespace

MeetingScheduler::MeetingScheduler(store::Store& store, Listener& listener, SchedulerOptions options)
    : store_(store), listener_(listener), options_(options) {}

MeetingState MeetingScheduler::targetState(const Meeting& m, sys_seconds now) const {
  if (now >= m.end + options_.grace) return MeetingState::Ended;
  if (now >= m.start) return MeetingState::Live;
  if (now >= m.start - m.lobbyLead) return MeetingState::Open;
  return MeetingState::Scheduled;
}

void MeetingScheduler::advance(Meeting& m, sys_seconds now, std::optional<sys_seconds>& wake) {
  auto target = targetState(m, now);
  if (rank(target) > rank(m.state)) {
    if (target == MeetingState::Ended) {
      // Long downtime can skip a whole meeting: no point opening a room only to close it.
      store_.setMeetingState(m.id, MeetingState::Ended);
      m.state = MeetingState::Ended;
      warned_.erase(m.id);
      spdlog::info("scheduler: meeting {} ended", m.id);
      listener_.onMeetingEnded(m);
      return;
    }
    while (rank(m.state) < rank(target)) {
      auto next = m.state == MeetingState::Scheduled ? MeetingState::Open : MeetingState::Live;
      store_.setMeetingState(m.id, next);
      m.state = next;
      spdlog::info("scheduler: meeting {} is {}", m.id, store::toString(next));
      if (next == MeetingState::Open) {
        listener_.onMeetingOpen(m);
      } else {
        listener_.onMeetingLive(m);
      }
    }
  }
  if (m.state == MeetingState::Live && now >= m.end - options_.endingSoonWarning && !warned_.count(m.id)) {
    warned_.insert(m.id);
    listener_.onMeetingEndingSoon(m);
  }
  for (auto t :
       {m.start - m.lobbyLead, m.start, m.end - options_.endingSoonWarning, m.end + options_.grace}) {
    if (t > now) {
      earliest(wake, t);
      break;
    }
  }
  // The ending-soon boundary can precede the start for very short meetings; order is not guaranteed above.
  if (m.end - options_.endingSoonWarning > now && m.end - options_.endingSoonWarning < m.start) {
    earliest(wake, m.end - options_.endingSoonWarning);
  }
}

void MeetingScheduler::expandSeries(const Meeting& series, sys_seconds now,
                                    std::optional<sys_seconds>& wake) {
  auto zone = zoneOf(series);
  RecurrenceRule rule(series, zone);
  // Only occurrences not yet over: a server that was down for a week does not replay the week.
  auto next = rule.nextStart(now - rule.duration() - options_.grace);
  for (int guard = 0; next && guard < 8; ++guard) {
    auto opensAt = *next - series.lobbyLead;
    if (opensAt > now) {
      earliest(wake, opensAt);
      return;
    }
    auto id = occurrenceId(series, *next, zone);
    if (!store_.findMeeting(id)) {
      Meeting occurrence = series;
      occurrence.id = id;
      occurrence.recurrence = {};
      occurrence.seriesId = series.id;
      occurrence.start = *next;
      occurrence.end = *next + rule.duration();
      occurrence.state = MeetingState::Scheduled;
      occurrence.createdAt = now;
      store_.addMeeting(occurrence);
      spdlog::info("scheduler: created occurrence {} of {}", id, series.id);
    }
    next = rule.nextStart(*next + seconds{1});
  }
  if (!next) {
    store_.setMeetingState(series.id, MeetingState::Ended);
    spdlog::info("scheduler: series {} has no further occurrences", series.id);
  }
}

std::optional<sys_seconds> MeetingScheduler::runDue(sys_seconds now) {
  std::optional<sys_seconds> wake;
  store::MeetingFilter active;
  active.states = {MeetingState::Scheduled, MeetingState::Open, MeetingState::Live};
  for (const auto& m : store_.listMeetings(active)) {
    if (m.isSeries()) expandSeries(m, now, wake);
  }
  for (auto& m : store_.listMeetings(active)) {
    if (!m.isSeries()) advance(m, now, wake);
  }
  return wake;
}

std::optional<sys_seconds> MeetingScheduler::recover(sys_seconds now) {
  store::MeetingFilter running;
  running.states = {MeetingState::Open, MeetingState::Live};
  for (const auto& m : store_.listMeetings(running)) {
    if (m.isSeries() || targetState(m, now) != m.state) continue;
    spdlog::info("scheduler: recovering {} meeting {}", store::toString(m.state), m.id);
    if (m.state == MeetingState::Open) {
      listener_.onMeetingOpen(m);
    } else {
      listener_.onMeetingLive(m);
    }
  }
  return runDue(now);
}

bool MeetingScheduler::cancel(const std::string& meetingId, sys_seconds now) {
  auto m = store_.findMeeting(meetingId);
  if (!m || store::isFinal(m->state)) return false;
  bool hadRoom = m->state == MeetingState::Open || m->state == MeetingState::Live;
  store_.runInTransaction([&] {
    store_.setMeetingState(m->id, MeetingState::Cancelled);
    if (m->isSeries()) {
      store::MeetingFilter occurrences;
      occurrences.seriesId = m->id;
      occurrences.states = {MeetingState::Scheduled, MeetingState::Open, MeetingState::Live};
      for (const auto& o : store_.listMeetings(occurrences)) {
        store_.setMeetingState(o.id, MeetingState::Cancelled);
        if (o.state != MeetingState::Scheduled) listener_.onMeetingEnded(o);
      }
    }
  });
  (void)now;
  m->state = MeetingState::Cancelled;
  warned_.erase(m->id);
  if (hadRoom) listener_.onMeetingEnded(*m);
  return true;
}

}  // namespace diemcau::signaling::scheduler
