#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diemcau::signaling::scheduler {

/**
 * A time zone read from the system tzdata (TZif files under /usr/share/zoneinfo, RFC 8536), because GCC 12's
 * libstdc++ has no std::chrono::tzdb. We parse the file rather than set TZ and call localtime_r: TZ is
 * process-global state that other threads read. Only the transition table is used, not the POSIX footer rule,
 * so zones whose DST rules are given only by the footer (after 2037 in Debian's "fat" files) keep their last
 * listed offset. Viet Nam has had no DST since 1975, so Asia/Ho_Chi_Minh is exact.
 */
class TimeZone {
 public:
  /// nullopt for an unknown or unsafe name ("../etc/passwd") or an unreadable file.
  static std::optional<TimeZone> load(std::string_view name,
                                      const std::filesystem::path& root = "/usr/share/zoneinfo");
  /// Parses TZif bytes; nullopt when they are not a valid TZif file. Bounded by the counts it checks.
  static std::optional<TimeZone> parse(std::string_view name, std::string_view tzif);
  static TimeZone utc();

  const std::string& name() const { return name_; }
  /// UTC offset in force at this instant.
  std::chrono::seconds offsetAt(std::chrono::sys_seconds utc) const;
  /// Local wall time at this instant.
  std::chrono::local_seconds toLocal(std::chrono::sys_seconds utc) const;
  /// The instant a wall time names; in a DST gap or overlap, the earlier offset's reading.
  std::chrono::sys_seconds toUtc(std::chrono::local_seconds local) const;

  struct OffsetChange {
    std::chrono::sys_seconds at;
    std::chrono::seconds from;
    std::chrono::seconds to;
  };
  /// The instants in (from, to] where the offset changes, at most `limit` of them (an iCalendar VTIMEZONE
  /// lists these). Table entries that keep the offset (a renamed abbreviation) are left out.
  std::vector<OffsetChange> changesBetween(std::chrono::sys_seconds from, std::chrono::sys_seconds to,
                                           std::size_t limit = 64) const;

 private:
  struct Transition {
    std::int64_t at;
    std::int32_t offset;
  };
  std::string name_;
  std::int32_t initialOffset_ = 0;
  std::vector<Transition> transitions_;
};

}  // namespace diemcau::signaling::scheduler
