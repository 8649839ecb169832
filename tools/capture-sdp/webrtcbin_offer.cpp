// Prints the SDP offer GStreamer's webrtcbin makes for a VP8 + Opus sender, as a real
// independent-peer sample for tests/data/sdp/. Built and run by capture-webrtcbin.sh.
#define GST_USE_UNSTABLE_API
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

#include <cstdio>
#include <memory>

namespace {

struct Capture {
  GMainLoop* loop = nullptr;
  GstElement* webrtc = nullptr;
  int status = 1;
};

void onOfferCreated(GstPromise* promise, gpointer data) {
  auto* capture = static_cast<Capture*>(data);
  const GstStructure* reply = gst_promise_get_reply(promise);
  GstWebRTCSessionDescription* offer = nullptr;
  if (reply != nullptr) {
    gst_structure_get(reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, nullptr);
  }
  if (offer != nullptr) {
    gchar* text = gst_sdp_message_as_text(offer->sdp);
    std::fputs(text, stdout);
    g_free(text);
    gst_webrtc_session_description_free(offer);
    capture->status = 0;
  } else {
    std::fputs("webrtcbin produced no offer\n", stderr);
  }
  gst_promise_unref(promise);
  g_main_loop_quit(capture->loop);
}

void onNegotiationNeeded(GstElement* webrtc, gpointer data) {
  GstPromise* promise = gst_promise_new_with_change_func(onOfferCreated, data, nullptr);
  g_signal_emit_by_name(webrtc, "create-offer", nullptr, promise);
}

gboolean onTimeout(gpointer data) {
  std::fputs("timed out waiting for the offer\n", stderr);
  g_main_loop_quit(static_cast<Capture*>(data)->loop);
  return G_SOURCE_REMOVE;
}

}  // namespace

int main(int argc, char** argv) {
  gst_init(&argc, &argv);
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(
      "webrtcbin name=sendrecv bundle-policy=max-bundle "
      "videotestsrc is-live=true ! video/x-raw,width=320,height=240 ! vp8enc deadline=1 ! rtpvp8pay ! "
      "application/x-rtp,media=video,encoding-name=VP8,payload=96 ! sendrecv. "
      "audiotestsrc is-live=true ! opusenc ! rtpopuspay ! "
      "application/x-rtp,media=audio,encoding-name=OPUS,payload=97 ! sendrecv.",
      &error);
  if (pipeline == nullptr) {
    std::fprintf(stderr, "pipeline: %s\n", error != nullptr ? error->message : "unknown error");
    g_clear_error(&error);
    return 1;
  }
  Capture capture;
  capture.loop = g_main_loop_new(nullptr, FALSE);
  capture.webrtc = gst_bin_get_by_name(GST_BIN(pipeline), "sendrecv");
  g_signal_connect(capture.webrtc, "on-negotiation-needed", G_CALLBACK(onNegotiationNeeded), &capture);
  g_timeout_add_seconds(15, onTimeout, &capture);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  g_main_loop_run(capture.loop);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(capture.webrtc);
  gst_object_unref(pipeline);
  g_main_loop_unref(capture.loop);
  return capture.status;
}
