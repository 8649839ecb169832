#pragma once
// Shares one receiver's bandwidth estimate among the tracks routed to it (the routing policy
// decides what it receives; this decides how much of each). Audio is never cut. Video goes in
// order of importance (the hall, then the speaker, then thumbnails):
//
//   pass 1  every video, most important first, gets its lowest layer while that fits; one that
//           does not fit is paused (so thumbnails are the first to go), unless it is marked
//           `keep` (the hall's simulcast video: its lowest layer goes whatever the budget);
//   pass 2  most important first, each video climbs to the highest layer that fits, up to the
//           layer its displayed size asks for.
//
// A layer above the one being forwarded must fit with kUpgradeMargin to spare, and a video being
// forwarded is paused only when its lowest layer overshoots by more than that margin, so a
// receiver just at the edge does not flap between two layers, or between a layer and a pause.
//
// Pure: plain values in, plain values out; fixed-size arrays, no allocation beyond the caller's.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace diemcau::bridge {

class BandwidthAllocator {
 public:
  static constexpr size_t kMaxLayers = 4;
  static constexpr int kPaused = -1;
  static constexpr double kUpgradeMargin = 0.85;

  struct Track {
    bool audio = false;
    int priority = 0;  // lower is more important
    /// Measured bitrate of each layer (index = the published track's layer); 0 = not arriving.
    std::array<uint64_t, kMaxLayers> layerBps{};
    size_t layerCount = 1;
    /// How many steps above its cheapest arriving layer the receiver wants (its displayed size):
    /// 0 = the lowest layer only; kMaxLayers = no limit.
    int maxRank = static_cast<int>(kMaxLayers);
    /// The layer forwarded now (kPaused if none).
    int currentLayer = kPaused;
    /// Never paused for bandwidth: its lowest layer is sent even over the budget (a site that
    /// cannot carry the hall's smallest picture is better served by a lossy, repaired one than by
    /// none). Climbing still needs the budget.
    bool keep = false;
  };

  /// Writes one decision per track into `layers` (same size as `tracks`): the layer index to
  /// forward, or kPaused. Audio tracks get layer 0. Returns the bitrate the decision uses.
  static uint64_t allocate(uint64_t budgetBps, std::span<const Track> tracks, std::span<int> layers);

  /// The maxRank for a receiver that shows `track` `wantedHeight` pixels tall, given each layer's
  /// picture height (0 = unknown): the cheapest arriving layer at least ~90 % as tall is enough.
  /// No limit when a height is unknown or no layer is tall enough.
  static int maxRankFor(const Track& track, const std::array<uint16_t, kMaxLayers>& heights, uint16_t wantedHeight);
};

}  // namespace diemcau::bridge
