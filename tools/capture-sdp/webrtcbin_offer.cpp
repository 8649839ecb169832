// Prints the SDP offer GStreamer's webrtcbin makes for a VP8 + Opus sender, or with
// `--answer FILE` the answer webrtcbin gives to the offer in FILE: real independent-peer samples
// for tests/data/sdp/. Built and run by capture-webrtcbin.sh.
#define GST_USE_UNSTABLE_API
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Capture {
  GMainLoop* loop = nullptr;
  GstElement* webrtc = nullptr;
  const char* field = "offer";
  int status = 1;
};

void onOfferCreated(GstPromise* promise, gpointer data) {
  auto* capture = static_cast<Capture*>(data);
  const GstStructure* reply = gst_promise_get_reply(promise);
  GstWebRTCSessionDescription* offer = nullptr;
  if (reply != nullptr) {
    gst_structure_get(reply, capture->field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, nullptr);
  }
  if (offer != nullptr) {
    gchar* text = gst_sdp_message_as_text(offer->sdp);
    std::fputs(text, stdout);
    g_free(text);
    gst_webrtc_session_description_free(offer);
    capture->status = 0;
  } else {
    std::fprintf(stderr, "webrtcbin produced no %s\n", capture->field);
  }
  gst_promise_unref(promise);
  g_main_loop_quit(capture->loop);
}

void onNegotiationNeeded(GstElement* webrtc, gpointer data) {
  GstPromise* promise = gst_promise_new_with_change_func(onOfferCreated, data, nullptr);
  g_signal_emit_by_name(webrtc, "create-offer", nullptr, promise);
}

void onRemoteSet(GstPromise* promise, gpointer data) {
  gst_promise_unref(promise);
  auto* capture = static_cast<Capture*>(data);
  GstPromise* answer = gst_promise_new_with_change_func(onOfferCreated, data, nullptr);
  g_signal_emit_by_name(capture->webrtc, "create-answer", nullptr, answer);
}

// Answers the offer in `path` with a bare webrtcbin: it creates recvonly transceivers itself.
int answerOffer(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  GstSDPMessage* sdp = nullptr;
  if (!in.good() && !in.eof()) return 1;
  if (gst_sdp_message_new_from_text(text.str().c_str(), &sdp) != GST_SDP_OK) return 1;
  GstElement* pipeline = gst_pipeline_new("answer");
  Capture capture;
  capture.field = "answer";
  capture.loop = g_main_loop_new(nullptr, FALSE);
  capture.webrtc = gst_element_factory_make("webrtcbin", "recv");
  gst_bin_add(GST_BIN(pipeline), capture.webrtc);
  g_object_set(capture.webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, nullptr);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstWebRTCSessionDescription* offer = gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_OFFER, sdp);
  GstPromise* promise = gst_promise_new_with_change_func(onRemoteSet, &capture, nullptr);
  g_signal_emit_by_name(capture.webrtc, "set-remote-description", offer, promise);
  gst_webrtc_session_description_free(offer);
  g_timeout_add_seconds(15, [](gpointer data) -> gboolean {
    g_main_loop_quit(static_cast<Capture*>(data)->loop);
    return G_SOURCE_REMOVE;
  }, &capture);
  g_main_loop_run(capture.loop);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
  g_main_loop_unref(capture.loop);
  return capture.status;
}

gboolean onTimeout(gpointer data) {
  std::fputs("timed out waiting for the offer\n", stderr);
  g_main_loop_quit(static_cast<Capture*>(data)->loop);
  return G_SOURCE_REMOVE;
}

}  // namespace

int main(int argc, char** argv) {
  gst_init(&argc, &argv);
  if (argc == 3 && std::strcmp(argv[1], "--answer") == 0) return answerOffer(argv[2]);
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
