#include "bridge/bwe/BandwidthAllocator.hpp"

#include <algorithm>
#include <numeric>

namespace diemcau::bridge {

namespace {

// Layer indices of `track` that are arriving, cheapest first (the publisher's order of layers is
// whatever its client chose; the measured bitrate tells which is which).
size_t rankLayers(const BandwidthAllocator::Track& track, std::array<int, BandwidthAllocator::kMaxLayers>& out) {
  size_t count = 0;
  const size_t layers = std::min(track.layerCount, BandwidthAllocator::kMaxLayers);
  for (size_t i = 0; i < layers; ++i) {
    if (track.layerBps[i] > 0) out[count++] = static_cast<int>(i);
  }
  std::sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(count),
            [&](int a, int b) { return track.layerBps[static_cast<size_t>(a)] < track.layerBps[static_cast<size_t>(b)]; });
  return count;
}

}  // namespace

int BandwidthAllocator::maxRankFor(const Track& track, const std::array<uint16_t, kMaxLayers>& heights,
                                   uint16_t wantedHeight) {
  constexpr int kNoLimit = static_cast<int>(kMaxLayers);
  if (wantedHeight == 0) return kNoLimit;
  std::array<int, kMaxLayers> ranked{};
  const size_t count = rankLayers(track, ranked);
  for (size_t r = 0; r < count; ++r) {
    const uint16_t height = heights[static_cast<size_t>(ranked[r])];
    if (height == 0) return kNoLimit;
    // A tile a little taller than a layer still looks right with it (browsers scale smoothly).
    if (static_cast<uint32_t>(height) * 10 >= static_cast<uint32_t>(wantedHeight) * 9) return static_cast<int>(r);
  }
  return kNoLimit;
}

uint64_t BandwidthAllocator::allocate(uint64_t budgetBps, std::span<const Track> tracks, std::span<int> layers) {
  const size_t n = std::min(tracks.size(), layers.size());
  uint64_t used = 0;
  for (size_t i = 0; i < n; ++i) {
    layers[i] = kPaused;
    if (tracks[i].audio) {
      layers[i] = 0;
      used += tracks[i].layerBps[0];
    }
  }
  // Video in order of importance; a stable order keeps equal priorities in routing order. Rooms
  // hold a few dozen tracks at most, so an insertion sort over indices is plenty.
  std::array<size_t, 64> order{};
  size_t videos = 0;
  for (size_t i = 0; i < n && videos < order.size(); ++i) {
    if (!tracks[i].audio) order[videos++] = i;
  }
  std::stable_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(videos),
                   [&](size_t a, size_t b) { return tracks[a].priority < tracks[b].priority; });

  std::array<std::array<int, kMaxLayers>, 64> ranked{};
  std::array<size_t, 64> rankedCount{};
  std::array<size_t, 64> step{};  // position in `ranked` of the chosen layer
  for (size_t k = 0; k < videos; ++k) {
    const Track& track = tracks[order[k]];
    rankedCount[k] = rankLayers(track, ranked[k]);
    if (rankedCount[k] == 0) continue;  // nothing arriving: nothing to forward
    const uint64_t cost = track.layerBps[static_cast<size_t>(ranked[k][0])];
    // The mirror of the climbing margin: a video being forwarded is paused only when its lowest
    // layer overshoots by more than the margin, so an estimate at the edge does not toggle it.
    const bool forwarded = track.currentLayer != kPaused;
    const double limit = forwarded ? static_cast<double>(budgetBps) / kUpgradeMargin : static_cast<double>(budgetBps);
    if (!track.keep && static_cast<double>(used + cost) > limit) continue;
    used += cost;
    step[k] = 0;
    layers[order[k]] = ranked[k][0];
  }
  for (size_t k = 0; k < videos; ++k) {
    const size_t i = order[k];
    const Track& track = tracks[i];
    if (layers[i] == kPaused) continue;
    while (step[k] + 1 < rankedCount[k]) {
      const int next = ranked[k][step[k] + 1];
      if (static_cast<int>(step[k]) + 1 > track.maxRank) break;
      const uint64_t nowCost = track.layerBps[static_cast<size_t>(ranked[k][step[k]])];
      const uint64_t nextCost = track.layerBps[static_cast<size_t>(next)];
      const uint64_t total = used - nowCost + nextCost;
      // Staying on (or returning to) the forwarded layer needs only to fit; climbing above it
      // needs the margin.
      const bool above = track.currentLayer == kPaused ||
                         nextCost > track.layerBps[static_cast<size_t>(std::clamp(track.currentLayer, 0,
                                                                                   static_cast<int>(kMaxLayers) - 1))];
      const double limit = above ? static_cast<double>(budgetBps) * kUpgradeMargin : static_cast<double>(budgetBps);
      if (static_cast<double>(total) > limit) break;
      used = total;
      ++step[k];
      layers[i] = next;
    }
  }
  return used;
}

}  // namespace diemcau::bridge
