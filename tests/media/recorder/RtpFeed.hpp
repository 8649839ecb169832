#pragma once
// Real RTP for recorder tests: GStreamer encodes test patterns (VP8, Opus) and payloads them; the
// packets are collected from an appsink with their media time, then fed at that pace.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace diemcau::media::recorder::test {

struct FedPacket {
  uint64_t ptsNs = 0;  // media time of the packet, from 0
  std::vector<uint8_t> bytes;
  size_t track = 0;
};

/// `seconds` of 320x240 VP8 at 30 fps (keyframe each second), payload type 96.
std::vector<FedPacket> encodeVp8(double seconds, size_t track);
/// `seconds` of Opus in 20 ms frames, payload type 111.
std::vector<FedPacket> encodeOpus(double seconds, size_t track);
/// Both lists merged by media time.
std::vector<FedPacket> merge(std::vector<FedPacket> a, const std::vector<FedPacket>& b);

/// Calls `deliver` for each packet at its media time from now (real time); `skip` may drop some.
void feedRealTime(const std::vector<FedPacket>& packets, const std::function<void(const FedPacket&)>& deliver,
                  const std::function<bool(const FedPacket&)>& skip = nullptr);

/// What gst-discoverer-1.0 says about a file.
struct Discovered {
  bool ok = false;
  double durationSeconds = 0;
  std::vector<std::string> codecs;  // "video:VP8", "audio:Opus"
  std::string output;
};
Discovered discover(const std::string& file);

}  // namespace diemcau::media::recorder::test
