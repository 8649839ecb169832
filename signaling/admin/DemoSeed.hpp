#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "signaling/store/Store.hpp"

namespace diemcau::signaling::admin {

/**
 * The demo: a district hall, eight communes and a 2-hour meeting that is live from `now`. Seeds only an empty
 * store (no sites) and returns the meeting id, or an empty string when it did nothing. Join links are then
 * printed with AdminApi's links (or `diemcauctl meeting links <id>`).
 */
std::string seedDemo(store::Store& store, std::chrono::sys_seconds now);

}  // namespace diemcau::signaling::admin
