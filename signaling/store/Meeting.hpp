#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diemcau::signaling::store {

/// scheduled -> open (lobby) -> live -> ended; cancelled from any state before ended.
enum class MeetingState { Scheduled, Open, Live, Ended, Cancelled };
enum class RecurrenceKind { None, Daily, Weekly, Monthly };
enum class RecordingPolicy { None, Host, All };

std::string_view toString(MeetingState state);
std::string_view toString(RecurrenceKind kind);
std::string_view toString(RecordingPolicy policy);
std::optional<MeetingState> parseMeetingState(std::string_view text);
std::optional<RecurrenceKind> parseRecurrenceKind(std::string_view text);
std::optional<RecordingPolicy> parseRecordingPolicy(std::string_view text);

/// True for the states a meeting never leaves.
bool isFinal(MeetingState state);

inline constexpr std::string_view kDefaultTimeZone = "Asia/Ho_Chi_Minh";

struct Recurrence {
  RecurrenceKind kind = RecurrenceKind::None;
  /// Weekly only: bit 0 = Monday ... bit 6 = Sunday (ISO 8601 weekday order).
  std::uint8_t weekdays = 0;
  /// Last instant an occurrence may start; none = open-ended series.
  std::optional<std::chrono::sys_seconds> until;

  bool operator==(const Recurrence&) const = default;
};

/// A meeting, or one occurrence of a recurring series (then seriesId names the series).
struct Meeting {
  std::string id;
  std::string title;
  std::string agenda;
  std::string hostSiteId;
  std::vector<std::string> invitedSiteIds;
  std::chrono::sys_seconds start{};
  std::chrono::sys_seconds end{};
  std::string timeZone{kDefaultTimeZone};
  Recurrence recurrence;
  RecordingPolicy recording = RecordingPolicy::None;
  std::chrono::minutes lobbyLead{10};
  MeetingState state = MeetingState::Scheduled;
  std::string seriesId;
  std::chrono::sys_seconds createdAt{};

  bool isSeries() const { return recurrence.kind != RecurrenceKind::None; }
};

}  // namespace diemcau::signaling::store
