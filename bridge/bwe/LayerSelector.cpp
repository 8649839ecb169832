#include "bridge/bwe/LayerSelector.hpp"

namespace diemcau::bridge {

void LayerSelector::setTarget(int layer) {
  target_ = layer < 0 || layer >= kMaxLayers ? kNone : layer;
  // Pausing takes effect at once: nothing is gained by sending a layer nobody wants any more.
  if (target_ == kNone) current_ = kNone;
}

LayerSelector::Decision LayerSelector::onPacket(int layer, bool keyframe) {
  if (target_ == kNone) return Decision::Drop;
  if (layer == target_ && current_ != target_ && keyframe) {
    current_ = target_;
    ++switches_;
    return Decision::Switch;
  }
  return layer == current_ ? Decision::Forward : Decision::Drop;
}

}  // namespace diemcau::bridge
