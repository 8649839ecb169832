#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "signaling/archive/ArchiveEvent.hpp"
#include "signaling/archive/Minutes.hpp"
#include "signaling/store/Meeting.hpp"

namespace diemcau::signaling::archive {

/**
 * Computes the minutes from a meeting's events (in log order) and its stored description.
 *
 * Attendance: a site is present from `participant.joined` to `participant.left` (or `session.replaced`
 * handover, or the end); a rejoin after a leave starts a new interval, the time between is a gap.
 * Speaking time: from `speaker.changed` events (active speaker by audio level) when the log has any;
 * otherwise the time each site held the floor (`floor.changed`), and the minutes say which.
 * `siteName` gives display names for invited sites that never joined.
 */
Minutes buildMinutes(const store::Meeting& meeting, const EventLogContents& log,
                     const std::function<std::optional<std::string>(const std::string&)>& siteName);

}  // namespace diemcau::signaling::archive
