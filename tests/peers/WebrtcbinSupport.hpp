#pragma once

#include <gst/gst.h>

#include <chrono>
#include <memory>
#include <string>

// webrtc.h needs GST_USE_UNSTABLE_API; callers that do not use the type need not include it.
struct _GstWebRTCSessionDescription;

namespace diemcau::peers {

/// Small pieces every webrtcbin of the meeting peer needs. Each throws std::runtime_error (or
/// std::invalid_argument for bad SDP text) instead of returning a GLib error.

struct GstObjectUnref {
  void operator()(gpointer object) const { gst_object_unref(object); }
};
using GstElementPtr = std::unique_ptr<GstElement, GstObjectUnref>;

/// Makes the process's DTLS certificate now and returns how long that took. GStreamer's dtls
/// plugin generates one RSA-2048 key per process when its first DTLS element is made, and every
/// webrtcbin of the process waits for it (it took 0.2 to 1.4 s on the shared test machine). A
/// browser has its certificate when the page makes its RTCPeerConnection, before signaling, so
/// the peer makes it before it opens the WebSocket. Throws std::runtime_error without the plugin.
std::chrono::milliseconds prepareDtlsCertificate();

/// gst_parse_launch with the error turned into an exception.
GstElementPtr launchPipeline(const std::string& description);

/// libnice leaves loopback out when it enumerates interfaces, and the tests run in a namespace
/// where loopback is all there is: name it explicitly.
void addLocalAddress(GstElement* webrtc, const char* address);

/// Sets every transceiver's direction (webrtcbin makes them sendrecv for request pads).
void setTransceiverDirections(GstElement* webrtc, int direction);

/// Turns on RFC 4585 NACK with RFC 4588 RTX on every video transceiver (and on those whose kind is
/// not known yet), off on audio ones, as browsers do: an offer or answer made after this carries
/// nack and rtx for video, the sender keeps packets for retransmission (rtprtxsend) and the
/// receiver's jitter buffer asks for what it lacks (do-retransmission).
void enableVideoNack(GstElement* webrtc);

/// Restricts the ICE agent's local UDP ports to [min, max] (no-op when min is 0).
void setIcePortRange(GstElement* webrtc, int min, int max);

/// A parsed description of the given type (GstWebRTCSDPType); the caller frees it with
/// gst_webrtc_session_description_free. Throws std::invalid_argument when the text is not SDP
/// with media sections.
_GstWebRTCSessionDescription* parseDescription(int type, const std::string& sdp);

/// The text of a session description.
std::string descriptionText(const _GstWebRTCSessionDescription* description);

/// A promise reply's "error" field, if any (empty when none).
std::string promiseError(GstPromise* promise);

std::string iceConnectionStateOf(GstElement* webrtc);
std::string connectionStateOf(GstElement* webrtc);

}  // namespace diemcau::peers
