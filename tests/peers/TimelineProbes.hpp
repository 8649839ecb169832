#pragma once

#include "tests/peers/JoinTimeline.hpp"

#include <gst/gst.h>

namespace diemcau::peers {

/// Marks a webrtcbin's ICE and connection state changes on `timeline` as "<prefix>.ice_checking",
/// "<prefix>.ice_connected" and "<prefix>.connected" (ICE and DTLS both up: SRTP keys exist). The
/// timeline must outlive the element.
void watchConnectionStates(GstElement* webrtc, JoinTimeline& timeline, const char* prefix);

}  // namespace diemcau::peers
