#include "signaling/meeting/LinkQuality.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace diemcau::signaling::meeting {

namespace {

// Grades follow what a meeting feels like: Opus with in-band FEC hides a few percent of loss, VP8
// with NACK a little more; above ~10 % video freezes. A round trip past 300 ms makes people talk
// over each other, past a second a conversation breaks down (ITU-T G.114 puts the comfortable
// one-way limit at 150 ms).
int lossGrade(double lossPct) {
  if (lossPct < 1.0) return 5;
  if (lossPct < 3.0) return 4;
  if (lossPct < 6.0) return 3;
  if (lossPct < 12.0) return 2;
  return 1;
}

int rttGrade(uint32_t rttMs) {
  if (rttMs < 150) return 5;
  if (rttMs < 300) return 4;
  if (rttMs < 500) return 3;
  if (rttMs < 1000) return 2;
  return 1;
}

uint32_t kbps(uint64_t before, uint64_t after, std::chrono::milliseconds interval) {
  if (after < before || interval.count() <= 0) return 0;  // counters restart with a new connection
  return static_cast<uint32_t>((after - before) * 8 / static_cast<uint64_t>(interval.count()));
}

bool movedBy(uint32_t a, uint32_t b, uint32_t absolute, double relative) {
  const uint32_t diff = a > b ? a - b : b - a;
  return diff >= absolute && diff >= relative * std::max(a, b);
}

}  // namespace

int qualityLevel(double lossPct, uint32_t rttMs) { return std::min(lossGrade(lossPct), rttGrade(rttMs)); }

LinkQuality measureLink(const bridge::ParticipantStats& before, const bridge::ParticipantStats& after,
                        std::chrono::milliseconds interval) {
  LinkQuality q;
  q.upKbps = kbps(before.bytesReceived, after.bytesReceived, interval);
  q.downKbps = kbps(before.bytesSent, after.bytesSent, interval);
  q.lossPct = 100.0 * std::max(after.fractionLost, after.fractionLostDown);
  q.rttMs = after.rttMs;
  // Counters that went down belong to a new connection: bytes on it count as movement.
  auto moved = [](uint64_t was, uint64_t is) { return is != was && is > 0; };
  const bool moving = moved(before.bytesReceived, after.bytesReceived) || moved(before.bytesSent, after.bytesSent);
  q.level = moving && after.connected ? qualityLevel(q.lossPct, q.rttMs) : 0;
  return q;
}

bool meaningfulChange(const LinkQuality& last, const LinkQuality& next) {
  return last.level != next.level || std::abs(last.lossPct - next.lossPct) >= 2.0 ||
         movedBy(last.rttMs, next.rttMs, 50, 0.25) || movedBy(last.upKbps, next.upKbps, 64, 0.25) ||
         movedBy(last.downKbps, next.downKbps, 64, 0.25);
}

nlohmann::json toJson(const LinkQuality& q) {
  return {{"level", q.level},
          {"lossPct", std::round(q.lossPct * 10.0) / 10.0},
          {"rttMs", q.rttMs},
          {"upKbps", q.upKbps},
          {"downKbps", q.downKbps}};
}

std::string summary(const LinkQuality& q) {
  char text[96];
  std::snprintf(text, sizeof text, "%d/5 %.1f%% %ums %u/%uk", q.level, q.lossPct, q.rttMs, q.upKbps, q.downKbps);
  return text;
}

}  // namespace diemcau::signaling::meeting
