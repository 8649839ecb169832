#include "tests/peers/TimelineProbes.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <spdlog/spdlog.h>

namespace diemcau::peers {

namespace {

struct Watch {
  JoinTimeline* timeline;
  std::string prefix;
};


void markAndLog(JoinTimeline& timeline, const std::string& milestone) {
  if (timeline.mark(milestone)) {
    spdlog::debug("join: {}", milestone);
  }
}

void onIceState(GObject* webrtc, GParamSpec*, gpointer data) {
  const auto* watch = static_cast<Watch*>(data);
  GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  g_object_get(webrtc, "ice-connection-state", &state, nullptr);
  if (state == GST_WEBRTC_ICE_CONNECTION_STATE_CHECKING) {
    markAndLog(*watch->timeline, watch->prefix + ".ice_checking");
  } else if (state == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
             state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED) {
    markAndLog(*watch->timeline, watch->prefix + ".ice_connected");
  }
}

void onConnectionState(GObject* webrtc, GParamSpec*, gpointer data) {
  const auto* watch = static_cast<Watch*>(data);
  GstWebRTCPeerConnectionState state = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
  g_object_get(webrtc, "connection-state", &state, nullptr);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED) {
    markAndLog(*watch->timeline, watch->prefix + ".connected");
  }
}

void deleteWatch(gpointer data, GClosure*) { delete static_cast<Watch*>(data); }

}  // namespace

void watchConnectionStates(GstElement* webrtc, JoinTimeline& timeline, const char* prefix) {
  g_signal_connect_data(webrtc, "notify::ice-connection-state", G_CALLBACK(onIceState),
                        new Watch{&timeline, prefix}, deleteWatch, GConnectFlags(0));
  g_signal_connect_data(webrtc, "notify::connection-state", G_CALLBACK(onConnectionState),
                        new Watch{&timeline, prefix}, deleteWatch, GConnectFlags(0));
}

}  // namespace diemcau::peers
