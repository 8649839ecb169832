#pragma once
// A site's link quality as the bridge sees it, reduced from two samples of the room's counters
// (docs/PROTOCOL.md, "Network quality"). Pure functions: the meeting service samples, these judge.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "bridge/room/RoomTypes.hpp"

namespace diemcau::signaling::meeting {

struct LinkQuality {
  /// 0 = nothing moves (link down, or no media yet); 1 = unusable .. 5 = excellent.
  int level = 0;
  double lossPct = 0;    ///< the worse of upstream and downstream loss, in percent
  uint32_t rttMs = 0;    ///< round trip bridge <-> site
  uint32_t upKbps = 0;   ///< site -> bridge
  uint32_t downKbps = 0; ///< bridge -> site

  bool operator==(const LinkQuality&) const = default;
};

/// The level for a loss and round trip on a link that carries packets: the worse of the two grades.
int qualityLevel(double lossPct, uint32_t rttMs);

/// Quality over the interval between two samples of the same participant's counters.
LinkQuality measureLink(const bridge::ParticipantStats& before, const bridge::ParticipantStats& after,
                        std::chrono::milliseconds interval);

/// True when `next` differs enough from `last` to be worth an event: another level, loss moved by 2
/// points, the round trip by 50 ms and a quarter, a bitrate by a quarter and 64 kbit/s.
bool meaningfulChange(const LinkQuality& last, const LinkQuality& next);

/// {"level","lossPct","rttMs","upKbps","downKbps"} (loss rounded to 0.1).
nlohmann::json toJson(const LinkQuality& quality);
/// "4/5 1.2% 85ms 812/1650k": level, loss, round trip, kbit/s up/down (diemcauctl status).
std::string summary(const LinkQuality& quality);

}  // namespace diemcau::signaling::meeting
