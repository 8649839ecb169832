#include "tests/peers/PublishPipeline.hpp"

#include "tests/peers/MainContextInvoke.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace diemcau::peers {

namespace {

// RFC 4585 nack/pli lets the bridge ask this peer for a key frame (a late joiner needs one);
// generic nack (with RTX, see enableVideoNack) lets it ask for lost packets again.
constexpr const char* kVideoBranch =
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate={fps}/1 ! "
    "videoconvert ! queue max-size-buffers=4 ! "
    "vp8enc deadline=1 cpu-used=8 threads=1 keyframe-max-dist=300 target-bitrate=300000 ! "
    "rtpvp8pay pt=96 mtu=1200 picture-id-mode=15-bit ! "
    "application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000,"
    "rtcp-fb-nack-pli=(boolean)true,rtcp-fb-nack=(boolean)true ! pub. ";

// {level} is empty or a level meter that puts a GstAudioLevelMeta on every buffer; {extmap} then
// names the RFC 6464 extension in the payloader's caps, so rtpopuspay writes the level into each
// packet (rtphdrextclientaudiolevel) and webrtcbin offers it as a=extmap.
// The source's 1024-sample (21.3 ms) buffers make the encoder emit its 20 ms frames in a sawtooth
// (each packet a little later than the one before, then two at once), which the receivers' jitter
// buffers read as late packets and NACK. 960-sample buffers would pace it like a browser, but
// those NACKs are what keeps a receive-only test peer's connection from looking silent to the
// bridge (SubscribePipeline::onNewJitterBuffer, docs/PERFORMANCE.md, "Loopback meetings").
constexpr const char* kAudioBranch =
    "audiotestsrc is-live=true wave=sine freq={freq} volume={volume} ! {level}audioconvert ! audioresample ! "
    "queue max-size-buffers=4 ! opusenc bitrate=32000 ! rtpopuspay pt=111 mtu=1200 ! "
    "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000{extmap} ! pub. ";
constexpr const char* kAudioLevelMeter = "level audio-level-meta=true ! ";
constexpr const char* kAudioLevelExtmap =
    ",extmap-1=(string)<\"\",urn:ietf:params:rtp-hdrext:ssrc-audio-level,\"vad=off\">";

std::string replaced(std::string text, const std::string& key, const std::string& value) {
  const auto at = text.find(key);
  if (at != std::string::npos) {
    text.replace(at, key.size(), value);
  }
  return text;
}

}  // namespace

PublishPipeline::PublishPipeline(GMainContext* context, Listener& listener, Options options)
    : context_(context), listener_(listener), options_(options) {}

PublishPipeline::~PublishPipeline() { stop(); }

std::string PublishPipeline::describe() const {
  std::string d = "webrtcbin name=pub bundle-policy=max-bundle ";
  if (options_.video) {
    d += replaced(kVideoBranch, "{fps}", std::to_string(options_.videoFps));
  }
  if (options_.audio) {
    std::string branch = replaced(kAudioBranch, "{freq}", std::to_string(options_.audioFrequencyHz));
    branch = replaced(branch, "{volume}", std::to_string(options_.audioVolume));
    branch = replaced(branch, "{level}", options_.audioLevels ? kAudioLevelMeter : "");
    d += replaced(branch, "{extmap}", options_.audioLevels ? kAudioLevelExtmap : "");
  }
  return d;
}

void PublishPipeline::start() {
  if (!options_.video && !options_.audio) {
    throw std::runtime_error("nothing to publish");
  }
  pipeline_ = launchPipeline(describe());
  webrtc_ = gst_bin_get_by_name(GST_BIN(pipeline_.get()), "pub");
  gst_object_unref(webrtc_);  // the pipeline keeps it alive
  addLocalAddress(webrtc_, options_.iceAddress.c_str());
  setIcePortRange(webrtc_, options_.icePortMin, options_.icePortMax);
  enableVideoNack(webrtc_);
  // The bridge answers a publish offer; nothing comes back on this connection.
  setTransceiverDirections(webrtc_, GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY);

  g_signal_connect(webrtc_, "on-negotiation-needed", G_CALLBACK(onNegotiationNeeded), this);
  g_signal_connect(webrtc_, "on-ice-candidate", G_CALLBACK(onIceCandidate), this);
  g_signal_connect(webrtc_, "notify::ice-gathering-state", G_CALLBACK(onGatheringState), this);

  GstBus* bus = gst_pipeline_get_bus(GST_PIPELINE(pipeline_.get()));
  busWatch_ = gst_bus_add_watch(bus, onBusMessage, this);
  gst_object_unref(bus);

  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    throw std::runtime_error("the publish pipeline refused to play");
  }
}

void PublishPipeline::stop() {
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

void PublishPipeline::setRemoteAnswer(const std::string& sdp) {
  if (webrtc_ == nullptr) {
    return;
  }
  GstWebRTCSessionDescription* answer = parseDescription(GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
  GstPromise* promise = gst_promise_new_with_change_func(onAnswerSet, this, nullptr);
  g_signal_emit_by_name(webrtc_, "set-remote-description", answer, promise);
  gst_webrtc_session_description_free(answer);
}

void PublishPipeline::addRemoteCandidate(unsigned mlineIndex, const std::string& candidate) {
  if (webrtc_ == nullptr || candidate.empty()) {
    return;  // an empty candidate only says the server has no more
  }
  g_signal_emit_by_name(webrtc_, "add-ice-candidate", mlineIndex, candidate.c_str());
}

void PublishPipeline::postError(std::string message) {
  invokeOn(context_, [this, message = std::move(message)]() mutable {
    listener_.onPublishError(std::move(message));
  });
}

// --- webrtcbin callbacks (webrtcbin or streaming threads) ---------------------------------

void PublishPipeline::onNegotiationNeeded(GstElement* webrtc, gpointer self) {
  auto* p = static_cast<PublishPipeline*>(self);
  // One offer per run: the tracks never change, so later triggers are ignored.
  if (p->offerRequested_.exchange(true)) {
    return;
  }
  // Again with the caps surely on the pads: the audio section is offered without NACK.
  enableVideoNack(webrtc);
  GstPromise* promise = gst_promise_new_with_change_func(onOfferReply, self, nullptr);
  g_signal_emit_by_name(webrtc, "create-offer", nullptr, promise);
}

void PublishPipeline::onOfferReply(GstPromise* promise, gpointer self) {
  auto* p = static_cast<PublishPipeline*>(self);
  GstWebRTCSessionDescription* offer = nullptr;
  const GstStructure* reply = gst_promise_get_reply(promise);
  if (reply != nullptr) {
    gst_structure_get(reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, nullptr);
  }
  gst_promise_unref(promise);
  if (offer == nullptr) {
    p->postError("publish webrtcbin did not create an offer");
    return;
  }
  GstPromise* local = gst_promise_new();
  g_signal_emit_by_name(p->webrtc_, "set-local-description", offer, local);
  gst_promise_interrupt(local);
  gst_promise_unref(local);
  std::string sdp = descriptionText(offer);
  gst_webrtc_session_description_free(offer);
  invokeOn(p->context_, [p, sdp = std::move(sdp)]() mutable { p->listener_.onPublishOffer(std::move(sdp)); });
}

void PublishPipeline::onAnswerSet(GstPromise* promise, gpointer self) {
  auto* p = static_cast<PublishPipeline*>(self);
  const std::string error = promiseError(promise);
  gst_promise_unref(promise);
  if (!error.empty()) {
    p->postError("publish webrtcbin rejected the answer: " + error);
  }
}

void PublishPipeline::onIceCandidate(GstElement*, guint mline, gchar* candidate, gpointer self) {
  auto* p = static_cast<PublishPipeline*>(self);
  invokeOn(p->context_, [p, mline, c = std::string(candidate)]() mutable {
    p->listener_.onPublishCandidate(mline, std::move(c));
  });
}

void PublishPipeline::onGatheringState(GObject* webrtc, GParamSpec*, gpointer self) {
  auto* p = static_cast<PublishPipeline*>(self);
  GstWebRTCICEGatheringState state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  g_object_get(webrtc, "ice-gathering-state", &state, nullptr);
  if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE) {
    invokeOn(p->context_, [p] { p->listener_.onPublishGatheringComplete(); });
  }
}

gboolean PublishPipeline::onBusMessage(GstBus*, GstMessage* message, gpointer self) {
  auto* p = static_cast<PublishPipeline*>(self);
  if (GST_MESSAGE_TYPE(message) != GST_MESSAGE_ERROR && GST_MESSAGE_TYPE(message) != GST_MESSAGE_WARNING) {
    return G_SOURCE_CONTINUE;
  }
  GError* error = nullptr;
  gchar* debug = nullptr;
  const bool isError = GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR;
  if (isError) {
    gst_message_parse_error(message, &error, &debug);
  } else {
    gst_message_parse_warning(message, &error, &debug);
  }
  std::string text = std::string("publish: ") + GST_OBJECT_NAME(message->src) + ": " + error->message;
  spdlog::log(isError ? spdlog::level::err : spdlog::level::warn, "{} ({})", text, debug != nullptr ? debug : "");
  g_clear_error(&error);
  g_free(debug);
  if (isError) {
    p->listener_.onPublishError(std::move(text));
  }
  return G_SOURCE_CONTINUE;
}

}  // namespace diemcau::peers
