#pragma once
// Which simulcast layer of a published video one receiver gets, packet by packet. The receiver
// sees a single stream, so a change of layer may only happen where its decoder can follow: at a
// keyframe of the new layer.
//
//   target up   (more bandwidth, bigger tile): keep forwarding the current layer until the target
//               layer's keyframe arrives, then switch (the caller asks that layer for a keyframe);
//   target down (congestion): the same, but the caller asks at once, so the switch comes one
//               keyframe round trip later and the picture never freezes meanwhile;
//   target none (paused by the allocator): stop at once; resuming waits for a keyframe.
//
// Layers are indices 0..kMaxLayers-1 of the published track; pure state, no clock, no allocation.
#include <cstdint>

namespace diemcau::bridge {

class LayerSelector {
 public:
  static constexpr int kMaxLayers = 4;
  static constexpr int kNone = -1;

  enum class Decision {
    Drop,    // not the layer this receiver gets
    Forward, // the current layer
    Switch,  // first packet (a keyframe) of a new current layer: the rewriter starts a new segment
  };

  /// The layer the allocator wants forwarded, or kNone to pause the video.
  void setTarget(int layer);
  int target() const { return target_; }
  /// The layer being forwarded now (kNone before the first keyframe and while paused).
  int current() const { return current_; }
  /// True while a switch waits for a keyframe of the target layer: ask that layer for one.
  bool switching() const { return target_ != kNone && target_ != current_; }

  /// One packet of `layer`; `keyframe` if it starts a keyframe.
  Decision onPacket(int layer, bool keyframe);

  uint64_t switches() const { return switches_; }

 private:
  int target_ = kNone;
  int current_ = kNone;
  uint64_t switches_ = 0;
};

}  // namespace diemcau::bridge
