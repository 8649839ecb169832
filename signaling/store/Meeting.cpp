#include "signaling/store/Meeting.hpp"

namespace diemcau::signaling::store {

std::string_view toString(MeetingState state) {
  switch (state) {
    case MeetingState::Scheduled:
      return "scheduled";
    case MeetingState::Open:
      return "open";
    case MeetingState::Live:
      return "live";
    case MeetingState::Ended:
      return "ended";
    case MeetingState::Cancelled:
      return "cancelled";
  }
  return "scheduled";
}

std::string_view toString(RecurrenceKind kind) {
  switch (kind) {
    case RecurrenceKind::None:
      return "none";
    case RecurrenceKind::Daily:
      return "daily";
    case RecurrenceKind::Weekly:
      return "weekly";
    case RecurrenceKind::Monthly:
      return "monthly";
  }
  return "none";
}

std::string_view toString(RecordingPolicy policy) {
  switch (policy) {
    case RecordingPolicy::None:
      return "none";
    case RecordingPolicy::Host:
      return "host";
    case RecordingPolicy::All:
      return "all";
  }
  return "none";
}

std::optional<MeetingState> parseMeetingState(std::string_view text) {
  for (auto s : {MeetingState::Scheduled, MeetingState::Open, MeetingState::Live, MeetingState::Ended,
                 MeetingState::Cancelled}) {
    if (toString(s) == text) return s;
  }
  return std::nullopt;
}

std::optional<RecurrenceKind> parseRecurrenceKind(std::string_view text) {
  for (auto k :
       {RecurrenceKind::None, RecurrenceKind::Daily, RecurrenceKind::Weekly, RecurrenceKind::Monthly}) {
    if (toString(k) == text) return k;
  }
  return std::nullopt;
}

std::optional<RecordingPolicy> parseRecordingPolicy(std::string_view text) {
  for (auto p : {RecordingPolicy::None, RecordingPolicy::Host, RecordingPolicy::All}) {
    if (toString(p) == text) return p;
  }
  return std::nullopt;
}

bool isFinal(MeetingState state) {
  return state == MeetingState::Ended || state == MeetingState::Cancelled;
}

}  // namespace diemcau::signaling::store
