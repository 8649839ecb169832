#include "tests/peers/WebrtcPipeline.hpp"
#include "tests/peers/WebrtcbinSupport.hpp"

#include "tests/peers/MainContextInvoke.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace diemcau::peers {

namespace {

// Small frames keep two shared cores free for the server under test.
constexpr const char* kVideoSource =
    "videotestsrc is-live=true pattern=ball ! "
    "video/x-raw,width=320,height=240,framerate=30/1 ! videoconvert ! queue max-size-buffers=4 ! ";

// RFC 4585 nack/pli lets the bridge ask this peer for a key frame.
constexpr const char* kVp8Send =
    "vp8enc deadline=1 keyframe-max-dist=60 target-bitrate=400000 ! "
    "rtpvp8pay pt=96 mtu=1200 picture-id-mode=15-bit ! "
    "application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000,"
    "rtcp-fb-nack-pli=(boolean)true ! webrtc. ";

// RFC 6184 packetization-mode 1, constrained baseline as browsers expect.
constexpr const char* kH264Send =
    "x264enc tune=zerolatency speed-preset=ultrafast bitrate=400 key-int-max=60 ! "
    "video/x-h264,profile=constrained-baseline ! h264parse ! "
    "rtph264pay pt=102 mtu=1200 config-interval=-1 aggregate-mode=zero-latency ! "
    "application/x-rtp,media=video,encoding-name=H264,payload=102,clock-rate=90000,"
    "packetization-mode=(string)1,"
    "rtcp-fb-nack-pli=(boolean)true ! webrtc. ";

constexpr const char* kAudioSend =
    "audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample ! "
    "queue max-size-buffers=4 ! opusenc bitrate=32000 ! rtpopuspay pt=111 mtu=1200 ! "
    "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000 ! webrtc. ";


}  // namespace

WebrtcPipeline::WebrtcPipeline(GMainContext* context, Listener& listener, VideoCodec videoCodec)
    : context_(context), listener_(listener), videoCodec_(videoCodec) {}

WebrtcPipeline::~WebrtcPipeline() { stop(); }

std::string WebrtcPipeline::describe() const {
  std::string d = "webrtcbin name=webrtc bundle-policy=max-bundle ";
  d += kVideoSource;
  d += videoCodec_ == VideoCodec::kVp8 ? kVp8Send : kH264Send;
  d += kAudioSend;
  return d;
}

void WebrtcPipeline::start() {
  pipeline_ = launchPipeline(describe());
  GstElement* pipeline = pipeline_.get();
  webrtc_ = gst_bin_get_by_name(GST_BIN(pipeline), "webrtc");
  gst_object_unref(webrtc_);  // the pipeline keeps it alive
  // No STUN server: every candidate is a host candidate on the test namespace's loopback.
  // libnice leaves loopback out when it enumerates interfaces, so name it explicitly.
  addLocalAddress(webrtc_, "127.0.0.1");
  setTransceiverDirections(webrtc_, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);

  g_signal_connect(webrtc_, "on-negotiation-needed", G_CALLBACK(onNegotiationNeeded), this);
  g_signal_connect(webrtc_, "on-ice-candidate", G_CALLBACK(onIceCandidate), this);
  g_signal_connect(webrtc_, "notify::ice-gathering-state", G_CALLBACK(onGatheringState), this);
  g_signal_connect(webrtc_, "pad-added", G_CALLBACK(onIncomingStream), this);

  // The bus watch lands on the caller's thread-default context, which is context_.
  GstBus* bus = gst_pipeline_get_bus(GST_PIPELINE(pipeline));
  busWatch_ = gst_bus_add_watch(bus, onBusMessage, this);
  gst_object_unref(bus);

  if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    throw std::runtime_error("the send pipeline refused to play");
  }
}

void WebrtcPipeline::stop() {
  if (!pipeline_) {
    return;
  }
  gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  if (busWatch_ != 0) {
    GstBus* bus = gst_pipeline_get_bus(GST_PIPELINE(pipeline_.get()));
    gst_bus_remove_watch(bus);
    gst_object_unref(bus);
    busWatch_ = 0;
  }
  webrtc_ = nullptr;
  pipeline_.reset();
}

void WebrtcPipeline::setRemoteAnswer(const std::string& sdp) {
  GstWebRTCSessionDescription* answer = parseDescription(GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
  GstPromise* promise = gst_promise_new_with_change_func(onRemoteDescriptionSet, this, nullptr);
  g_signal_emit_by_name(webrtc_, "set-remote-description", answer, promise);
  gst_webrtc_session_description_free(answer);
}

void WebrtcPipeline::addRemoteCandidate(unsigned mlineIndex, const std::string& candidate) {
  if (webrtc_ == nullptr || candidate.empty()) {
    return;  // an empty candidate only says the server has no more
  }
  g_signal_emit_by_name(webrtc_, "add-ice-candidate", mlineIndex, candidate.c_str());
}

WebrtcPipeline::Stats WebrtcPipeline::stats() const {
  Stats s;
  s.videoFrames = counters_.videoFrames.load();
  s.audioSamples = counters_.audioSamples.load();
  s.audioRate = counters_.audioRate.load();
  const std::int64_t first = counters_.firstVideoNs.load();
  if (first >= 0) {
    s.firstVideoAt = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(first));
  }
  return s;
}

std::string WebrtcPipeline::iceConnectionState() const { return iceConnectionStateOf(webrtc_); }

std::string WebrtcPipeline::connectionState() const { return connectionStateOf(webrtc_); }

void WebrtcPipeline::postError(std::string message) {
  invokeOn(context_, [this, message = std::move(message)]() mutable {
    listener_.onPipelineError(std::move(message));
  });
}

// --- webrtcbin callbacks (webrtcbin or streaming threads) ---------------------------------

void WebrtcPipeline::onNegotiationNeeded(GstElement* webrtc, gpointer self) {
  auto* p = static_cast<WebrtcPipeline*>(self);
  // Echo negotiates once; later triggers (e.g. a transceiver direction change) are ignored.
  if (p->offerRequested_.exchange(true)) {
    return;
  }
  GstPromise* promise = gst_promise_new_with_change_func(onOfferReply, self, nullptr);
  g_signal_emit_by_name(webrtc, "create-offer", nullptr, promise);
}

void WebrtcPipeline::onOfferReply(GstPromise* promise, gpointer self) {
  auto* p = static_cast<WebrtcPipeline*>(self);
  GstWebRTCSessionDescription* offer = nullptr;
  const GstStructure* reply = gst_promise_get_reply(promise);
  if (reply != nullptr) {
    gst_structure_get(reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, nullptr);
  }
  gst_promise_unref(promise);
  if (offer == nullptr) {
    p->postError("webrtcbin did not create an offer");
    return;
  }
  GstPromise* local = gst_promise_new();
  g_signal_emit_by_name(p->webrtc_, "set-local-description", offer, local);
  gst_promise_interrupt(local);
  gst_promise_unref(local);
  gchar* text = gst_sdp_message_as_text(offer->sdp);
  std::string sdp = text;
  g_free(text);
  gst_webrtc_session_description_free(offer);
  invokeOn(p->context_, [p, sdp = std::move(sdp)]() mutable {
    p->listener_.onOfferCreated(std::move(sdp));
  });
}

void WebrtcPipeline::onRemoteDescriptionSet(GstPromise* promise, gpointer self) {
  auto* p = static_cast<WebrtcPipeline*>(self);
  const GstStructure* reply = gst_promise_get_reply(promise);
  GError* error = nullptr;
  if (reply != nullptr && gst_structure_has_field(reply, "error")) {
    gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr);
  }
  if (error != nullptr) {
    p->postError(std::string("webrtcbin rejected the answer: ") + error->message);
    g_error_free(error);
  }
  gst_promise_unref(promise);
}

void WebrtcPipeline::onIceCandidate(GstElement*, guint mline, gchar* candidate, gpointer self) {
  auto* p = static_cast<WebrtcPipeline*>(self);
  invokeOn(p->context_, [p, mline, c = std::string(candidate)]() mutable {
    p->listener_.onLocalCandidate(mline, std::move(c));
  });
}

void WebrtcPipeline::onGatheringState(GObject* webrtc, GParamSpec*, gpointer self) {
  auto* p = static_cast<WebrtcPipeline*>(self);
  GstWebRTCICEGatheringState state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  g_object_get(webrtc, "ice-gathering-state", &state, nullptr);
  if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE) {
    invokeOn(p->context_, [p] { p->listener_.onGatheringComplete(); });
  }
}

void WebrtcPipeline::onIncomingStream(GstElement*, GstPad* pad, gpointer self) {
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) {
    return;
  }
  auto* p = static_cast<WebrtcPipeline*>(self);
  GstElement* decodebin = gst_element_factory_make("decodebin", nullptr);
  if (decodebin == nullptr) {
    p->postError("decodebin is missing");
    return;
  }
  g_signal_connect(decodebin, "pad-added", G_CALLBACK(onDecodedStream), self);
  gst_bin_add(GST_BIN(p->pipeline_.get()), decodebin);
  gst_element_sync_state_with_parent(decodebin);
  GstPad* sink = gst_element_get_static_pad(decodebin, "sink");
  if (gst_pad_link(pad, sink) != GST_PAD_LINK_OK) {
    p->postError("cannot link a received stream to decodebin");
  }
  gst_object_unref(sink);
}

void WebrtcPipeline::onDecodedStream(GstElement*, GstPad* pad, gpointer self) {
  auto* p = static_cast<WebrtcPipeline*>(self);
  GstCaps* caps = gst_pad_get_current_caps(pad);
  if (caps == nullptr) {
    caps = gst_pad_query_caps(pad, nullptr);
  }
  const std::string name = gst_structure_get_name(gst_caps_get_structure(caps, 0));
  gst_caps_unref(caps);
  const bool video = name.rfind("video/", 0) == 0;
  const bool audio = name.rfind("audio/", 0) == 0;
  if (!video && !audio) {
    p->postError("decoded an unexpected stream: " + name);
    return;
  }
  // S16 makes bytes -> samples a division by 2 * channels.
  const char* desc = video ? "queue ! fakesink name=counter sync=false async=false"
                           : "queue ! audioconvert ! audio/x-raw,format=S16LE,layout=interleaved ! "
                             "fakesink name=counter sync=false async=false";
  GError* error = nullptr;
  GstElement* bin = gst_parse_bin_from_description(desc, TRUE, &error);
  if (bin == nullptr) {
    p->postError(std::string("cannot build the decode sink: ") + (error ? error->message : "?"));
    g_clear_error(&error);
    return;
  }
  gst_bin_add(GST_BIN(p->pipeline_.get()), bin);
  gst_element_sync_state_with_parent(bin);
  GstElement* counter = gst_bin_get_by_name(GST_BIN(bin), "counter");
  GstPad* counted = gst_element_get_static_pad(counter, "sink");
  gst_pad_add_probe(counted, GST_PAD_PROBE_TYPE_BUFFER, video ? countVideo : countAudio, self,
                    nullptr);
  gst_object_unref(counted);
  gst_object_unref(counter);
  GstPad* sink = gst_element_get_static_pad(bin, "sink");
  if (gst_pad_link(pad, sink) != GST_PAD_LINK_OK) {
    p->postError("cannot link a decoded " + name + " stream");
  }
  gst_object_unref(sink);
  spdlog::info("receiving decoded {}", name);
}

GstPadProbeReturn WebrtcPipeline::countVideo(GstPad*, GstPadProbeInfo*, gpointer self) {
  auto& c = static_cast<WebrtcPipeline*>(self)->counters_;
  if (c.videoFrames.fetch_add(1) == 0) {
    const auto now = std::chrono::steady_clock::now().time_since_epoch();
    c.firstVideoNs.store(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
  }
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn WebrtcPipeline::countAudio(GstPad* pad, GstPadProbeInfo* info, gpointer self) {
  auto& c = static_cast<WebrtcPipeline*>(self)->counters_;
  if (c.audioChannels.load() == 0) {
    GstCaps* caps = gst_pad_get_current_caps(pad);
    if (caps == nullptr) {
      return GST_PAD_PROBE_OK;
    }
    const GstStructure* s = gst_caps_get_structure(caps, 0);
    int rate = 0;
    int channels = 0;
    if (gst_structure_get_int(s, "rate", &rate) && gst_structure_get_int(s, "channels", &channels) &&
        rate > 0 && channels > 0) {
      c.audioRate.store(rate);
      c.audioChannels.store(channels);
    }
    gst_caps_unref(caps);
    if (c.audioChannels.load() == 0) {
      return GST_PAD_PROBE_OK;
    }
  }
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  const auto bytesPerFrame = static_cast<gsize>(2 * c.audioChannels.load());
  c.audioSamples.fetch_add(gst_buffer_get_size(buffer) / bytesPerFrame);
  return GST_PAD_PROBE_OK;
}

gboolean WebrtcPipeline::onBusMessage(GstBus*, GstMessage* message, gpointer self) {
  auto* p = static_cast<WebrtcPipeline*>(self);
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR ||
      GST_MESSAGE_TYPE(message) == GST_MESSAGE_WARNING) {
    GError* error = nullptr;
    gchar* debug = nullptr;
    const bool isError = GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR;
    if (isError) {
      gst_message_parse_error(message, &error, &debug);
    } else {
      gst_message_parse_warning(message, &error, &debug);
    }
    std::string text = std::string(GST_OBJECT_NAME(message->src)) + ": " + error->message;
    spdlog::log(isError ? spdlog::level::err : spdlog::level::warn, "{} ({})", text,
                debug != nullptr ? debug : "");
    g_clear_error(&error);
    g_free(debug);
    if (isError) {
      p->listener_.onPipelineError(std::move(text));
    }
  }
  return G_SOURCE_CONTINUE;
}

}  // namespace diemcau::peers
