#pragma once
// minutes.json and minutes.md from the computed minutes.
#include <nlohmann/json.hpp>
#include <string>

#include "signaling/archive/Minutes.hpp"
#include "signaling/scheduler/TimeZone.hpp"

namespace diemcau::signaling::archive {

enum class MinutesLanguage { Vietnamese, English };

/// Machine-readable minutes: UTC instants (ISO 8601, ms) plus the zone name; durations in ms.
nlohmann::json minutesToJson(const Minutes& minutes);

/// Human-readable minutes in Markdown; times are local to `zone` (the meeting's), labelled with its name.
std::string minutesToMarkdown(const Minutes& minutes, const scheduler::TimeZone& zone, MinutesLanguage language);

}  // namespace diemcau::signaling::archive
