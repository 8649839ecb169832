#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "signaling/scheduler/TimeZone.hpp"

namespace diemcau::signaling::scheduler {

/// "2026-12-01T01:00:00Z": how every instant leaves the server.
std::string formatUtc(std::chrono::sys_seconds t);
/// "2026-12-01 08:00" in the zone: what people read.
std::string formatLocal(std::chrono::sys_seconds t, const TimeZone& zone);

/**
 * Reads an instant. Accepted: ISO 8601 with an offset ("2026-12-01T08:00:00+07:00", "...Z"), and a wall time
 * without one, read in `zone` ("2026-12-01T08:00", "2026-12-01 08:00", seconds optional). Also "now".
 */
std::optional<std::chrono::sys_seconds> parseInstant(std::string_view text, const TimeZone& zone,
                                                     std::chrono::sys_seconds now);

/// "90m", "2h", "1h30m", "45s", "1d"; a bare number is minutes. Positive and at most 31 days.
std::optional<std::chrono::seconds> parseDuration(std::string_view text);

}  // namespace diemcau::signaling::scheduler
