#pragma once

#include <chrono>
#include <string>

namespace diemcau::signaling::meeting {

/// "2026-12-01T01:00:00.123Z": ISO 8601 UTC with milliseconds, how event times leave the server.
std::string formatUtcMillis(std::chrono::system_clock::time_point at);

}  // namespace diemcau::signaling::meeting
