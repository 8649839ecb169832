#include "tests/peers/KeyframeWatchdog.hpp"

#include "tests/peers/SteadyNow.hpp"

#include <chrono>

namespace diemcau::peers {

KeyframeWatchdog::Stream& KeyframeWatchdog::streamOf(const std::string& mid) {
  auto& slot = streams_[mid];
  if (!slot) slot = std::make_unique<Stream>(Stream{this, 0, 0});
  return *slot;
}

void KeyframeWatchdog::watch(GstPad* pad, const std::string& mid) {
  Stream* stream = nullptr;
  {
    std::lock_guard lock(mutex_);
    stream = &streamOf(mid);
  }
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, onPacket, stream, nullptr);
}

void KeyframeWatchdog::onFrameShown(const std::string& mid) {
  std::lock_guard lock(mutex_);
  streamOf(mid).lastShownUs = steadyNowUs();
}

std::uint64_t KeyframeWatchdog::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

GstPadProbeReturn KeyframeWatchdog::onPacket(GstPad* pad, GstPadProbeInfo*, gpointer data) {
  auto* stream = static_cast<Stream*>(data);
  const std::int64_t now = steadyNowUs();
  {
    std::lock_guard lock(stream->owner->mutex_);
    if (stream->lastShownUs == 0 || now - stream->lastShownUs < kStallUs || now - stream->lastRequestUs < kRetryUs) {
      return GST_PAD_PROBE_OK;
    }
    stream->lastRequestUs = now;
    ++stream->owner->requests_;
  }
  // The upstream form of GstForceKeyUnit (gst-video's force-key-unit event, built by hand to need
  // no more than gstreamer-1.0): webrtcbin's rtpsession answers it with a PLI.
  GstStructure* s = gst_structure_new("GstForceKeyUnit", "all-headers", G_TYPE_BOOLEAN, TRUE, "count", G_TYPE_UINT,
                                      0u, "running-time", G_TYPE_UINT64, GST_CLOCK_TIME_NONE, nullptr);
  gst_pad_send_event(pad, gst_event_new_custom(GST_EVENT_CUSTOM_UPSTREAM, s));
  return GST_PAD_PROBE_OK;
}

}  // namespace diemcau::peers
