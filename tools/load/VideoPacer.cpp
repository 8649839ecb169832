#include "tools/load/VideoPacer.hpp"

#include <algorithm>
#include <cmath>

namespace diemcau::load {

VideoPacer::VideoPacer(const Params& params)
    : params_(params),
      frameIntervalNs_(1'000'000'000LL / std::max<uint32_t>(params.framesPerSecond, 1)),
      packetsPerFrame_(static_cast<double>(params.bitrate) / 8.0 /
                       static_cast<double>(std::max<size_t>(params.packetBytes, 1)) /
                       static_cast<double>(std::max<uint32_t>(params.framesPerSecond, 1))),
      pacedSpacingNs_(params.factor > 0.0 && params.bitrate > 0
                          ? static_cast<int64_t>(static_cast<double>(params.packetBytes) * 8.0 * 1e9 /
                                                 (params.factor * static_cast<double>(params.bitrate)))
                          : 0) {}

int64_t VideoPacer::spacingNs(uint32_t count) const {
  if (pacedSpacingNs_ == 0 || count <= 1) return 0;
  // Squeezed so that packet count-1 leaves strictly before the next frame: (count-1) * s < interval.
  return std::min(pacedSpacingNs_, frameIntervalNs_ / count);
}

void VideoPacer::start(int64_t nowNs) {
  nextFrameNs_ = nowNs;
  index_ = count_ = 0;
}

void VideoPacer::beginFrame(int64_t nowNs) {
  const int64_t maxBehind = kMaxFramesBehind * frameIntervalNs_;
  if (nowNs - nextFrameNs_ > maxBehind) nextFrameNs_ = nowNs - maxBehind;
  carry_ += packetsPerFrame_;
  count_ = static_cast<uint32_t>(std::max(1.0, std::floor(carry_)));
  carry_ = std::max(0.0, carry_ - static_cast<double>(count_));
  index_ = 0;
  frameNs_ = nextFrameNs_;
  spacing_ = spacingNs(count_);
  nextFrameNs_ += frameIntervalNs_;
}

int64_t VideoPacer::nextDueNs() const {
  if (index_ < count_) return frameNs_ + spacing_ * index_;
  return nextFrameNs_;
}

std::optional<VideoPacer::Packet> VideoPacer::poll(int64_t nowNs) {
  if (index_ >= count_) {
    if (nextFrameNs_ > nowNs) return std::nullopt;
    beginFrame(nowNs);
  }
  const int64_t due = frameNs_ + spacing_ * index_;
  if (due > nowNs) return std::nullopt;
  return Packet{index_++, count_, frameNs_, due};
}

}  // namespace diemcau::load
