#pragma once
// Owning handles for the GStreamer objects a recording holds. Each deleter drops exactly one reference.
#include <gst/gst.h>

#include <memory>

namespace diemcau::media::recorder {

struct GstObjectUnref {
  void operator()(gpointer object) const noexcept { gst_object_unref(object); }
};
struct GstCapsUnref {
  void operator()(GstCaps* caps) const noexcept { gst_caps_unref(caps); }
};
struct GstMessageUnref {
  void operator()(GstMessage* message) const noexcept { gst_message_unref(message); }
};

using GstElementPtr = std::unique_ptr<GstElement, GstObjectUnref>;
using GstBusPtr = std::unique_ptr<GstBus, GstObjectUnref>;
using GstPadPtr = std::unique_ptr<GstPad, GstObjectUnref>;
using GstClockPtr = std::unique_ptr<GstClock, GstObjectUnref>;
using GstCapsPtr = std::unique_ptr<GstCaps, GstCapsUnref>;
using GstMessagePtr = std::unique_ptr<GstMessage, GstMessageUnref>;

}  // namespace diemcau::media::recorder
