#include "tests/peers/SubscribePipeline.hpp"

#include "tests/peers/MainContextInvoke.hpp"
#include "tests/peers/SdpSections.hpp"
#include "tests/peers/TimelineProbes.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace diemcau::peers {

namespace {

/// "video", "audio" or "media", from the caps of a webrtcbin source pad.
std::string padMediaKind(GstPad* pad) {
  std::string kind = "media";
  GstCaps* caps = gst_pad_get_current_caps(pad);
  if (caps == nullptr) {
    caps = gst_pad_query_caps(pad, nullptr);
  }
  if (caps != nullptr && gst_caps_get_size(caps) > 0) {
    if (const gchar* media = gst_structure_get_string(gst_caps_get_structure(caps, 0), "media")) {
      kind = media;
    }
  }
  if (caps != nullptr) {
    gst_caps_unref(caps);
  }
  return kind;
}

}  // namespace

SubscribePipeline::SubscribePipeline(GMainContext* context, Listener& listener, ReceiveCounters& counters,
                                     JoinTimeline& timeline)
    : context_(context), listener_(listener), counters_(counters), timeline_(timeline) {}

SubscribePipeline::~SubscribePipeline() { stop(); }

void SubscribePipeline::start() {
  // Built by hand: gst_parse_launch of a single element returns the element, not a pipeline.
  pipeline_.reset(gst_pipeline_new("subscribe"));
  webrtc_ = gst_element_factory_make("webrtcbin", "sub");
  if (webrtc_ == nullptr) {
    throw std::runtime_error("webrtcbin is missing");
  }
  g_object_set(webrtc_, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, "latency", latencyMs_, nullptr);
  gst_bin_add(GST_BIN(pipeline_.get()), webrtc_);  // the pipeline owns it now
  addLocalAddress(webrtc_, iceAddress_.c_str());
  setIcePortRange(webrtc_, icePortMin_, icePortMax_);

  g_signal_connect(webrtc_, "on-ice-candidate", G_CALLBACK(onIceCandidate), this);
  g_signal_connect(webrtc_, "notify::ice-gathering-state", G_CALLBACK(onGatheringState), this);
  g_signal_connect(webrtc_, "pad-added", G_CALLBACK(onIncomingStream), this);
  watchConnectionStates(webrtc_, timeline_, "sub");
  // Webrtcbin 1.22 enables retransmission on a jitter buffer only when it can tell the stream's
  // transceiver, which in a BUNDLE it often cannot: connected after webrtcbin's own handler, this
  // one has the last word.
  if (GstElement* rtpbin = gst_bin_get_by_name(GST_BIN(webrtc_), "rtpbin")) {
    g_signal_connect(rtpbin, "new-jitterbuffer", G_CALLBACK(onNewJitterBuffer), this);
    g_signal_connect(rtpbin, "new-jitterbuffer", G_CALLBACK(watchRepairs), this);
    gst_object_unref(rtpbin);
  }
  g_signal_connect(webrtc_, "deep-element-added", G_CALLBACK(onDeepElementAdded), this);

  GstBus* bus = gst_pipeline_get_bus(GST_PIPELINE(pipeline_.get()));
  busWatch_ = gst_bus_add_watch(bus, onBusMessage, this);
  gst_object_unref(bus);

  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    throw std::runtime_error("the subscribe pipeline refused to play");
  }
}

void SubscribePipeline::stop() {
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

void SubscribePipeline::applyOffer(std::uint32_t version, const std::string& sdp) {
  if (webrtc_ == nullptr) {
    return;
  }
  GstWebRTCSessionDescription* offer = parseDescription(GST_WEBRTC_SDP_TYPE_OFFER, sdp);
  {
    std::lock_guard lock(sectionsMutex_);
    midByIndex_.clear();
    for (const SdpSection& s : readSdpSections(sdp)) {
      midByIndex_.push_back(s.mid);
      // An inactive section keeps its last owner: packets already queued are still theirs.
      if (!s.mid.empty() && !s.streamId.empty() && s.streamId != "-") {
        participantByMid_[s.mid] = s.streamId;
      }
    }
  }
  repairs_.notePayloadTypes(sdp);
  auto* pending = new PendingOffer{this, version};
  GstPromise* promise = gst_promise_new_with_change_func(onOfferSet, pending, nullptr);
  g_signal_emit_by_name(webrtc_, "set-remote-description", offer, promise);
  gst_webrtc_session_description_free(offer);
}

void SubscribePipeline::addRemoteCandidate(unsigned mlineIndex, const std::string& candidate) {
  if (webrtc_ == nullptr || candidate.empty()) {
    return;
  }
  g_signal_emit_by_name(webrtc_, "add-ice-candidate", mlineIndex, candidate.c_str());
}

std::string SubscribePipeline::midAt(unsigned mlineIndex) const {
  std::lock_guard lock(sectionsMutex_);
  return mlineIndex < midByIndex_.size() ? midByIndex_[mlineIndex] : std::string();
}

std::string SubscribePipeline::participantOf(const std::string& mid) const {
  std::lock_guard lock(sectionsMutex_);
  const auto it = participantByMid_.find(mid);
  return it != participantByMid_.end() ? it->second : "mid:" + mid;
}

void SubscribePipeline::postError(std::string message) {
  invokeOn(context_, [this, message = std::move(message)]() mutable {
    listener_.onSubscribeError(std::move(message));
  });
}

// --- offer/answer (webrtcbin threads) -----------------------------------------------------

void SubscribePipeline::onOfferSet(GstPromise* promise, gpointer data) {
  auto* pending = static_cast<PendingOffer*>(data);
  const std::string error = promiseError(promise);
  gst_promise_unref(promise);
  SubscribePipeline* p = pending->owner;
  if (!error.empty() || p->webrtc_ == nullptr) {
    p->postError("subscribe webrtcbin rejected offer " + std::to_string(pending->version) + ": " + error);
    delete pending;
    return;
  }
  p->timeline_.mark("sub.offer_applied");
  // The bridge offers nack and rtx; webrtcbin answers them only on transceivers asking for NACK.
  enableVideoNack(p->webrtc_);
  GstPromise* answer = gst_promise_new_with_change_func(onAnswerCreated, pending, nullptr);
  g_signal_emit_by_name(p->webrtc_, "create-answer", nullptr, answer);
}

void SubscribePipeline::onAnswerCreated(GstPromise* promise, gpointer data) {
  auto* pending = static_cast<PendingOffer*>(data);
  SubscribePipeline* p = pending->owner;
  const std::uint32_t version = pending->version;
  delete pending;
  GstWebRTCSessionDescription* answer = nullptr;
  const GstStructure* reply = gst_promise_get_reply(promise);
  if (reply != nullptr) {
    gst_structure_get(reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, nullptr);
  }
  const std::string error = promiseError(promise);
  gst_promise_unref(promise);
  if (answer == nullptr || p->webrtc_ == nullptr) {
    p->postError("subscribe webrtcbin did not answer offer " + std::to_string(version) + ": " + error);
    return;
  }
  p->timeline_.mark("sub.answer_created");
  std::string sdp = descriptionText(answer);
  {
    // Webrtcbin 1.22 with BUNDLE gives the RTX receiver the payload map of another section (often
    // an empty one), so every RTX packet is dropped; the answer says what the map should be.
    std::lock_guard lock(p->rtxMutex_);
    p->mediaToRtx_ = rtxPayloadTypes(sdp);
  }
  GstPromise* local = gst_promise_new_with_change_func(onLocalDescriptionSet, p, nullptr);
  g_signal_emit_by_name(p->webrtc_, "set-local-description", answer, local);
  gst_webrtc_session_description_free(answer);
  invokeOn(p->context_, [p, version, sdp = std::move(sdp)]() mutable {
    p->listener_.onSubscribeAnswer(version, std::move(sdp));
  });
}

void SubscribePipeline::onIceCandidate(GstElement*, guint mline, gchar* candidate, gpointer self) {
  auto* p = static_cast<SubscribePipeline*>(self);
  p->timeline_.mark("sub.first_local_candidate");
  invokeOn(p->context_, [p, mline, c = std::string(candidate)]() mutable {
    p->listener_.onSubscribeCandidate(mline, std::move(c));
  });
}

void SubscribePipeline::onGatheringState(GObject* webrtc, GParamSpec*, gpointer self) {
  auto* p = static_cast<SubscribePipeline*>(self);
  GstWebRTCICEGatheringState state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  g_object_get(webrtc, "ice-gathering-state", &state, nullptr);
  if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE) {
    p->timeline_.mark("sub.gathering_complete");
    invokeOn(p->context_, [p] { p->listener_.onSubscribeGatheringComplete(); });
  }
}

// --- decoding (streaming threads) ---------------------------------------------------------

void SubscribePipeline::onIncomingStream(GstElement*, GstPad* pad, gpointer self) {
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) {
    return;
  }
  auto* p = static_cast<SubscribePipeline*>(self);
  std::string mid;
  guint mline = G_MAXUINT;
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(pad), "transceiver") != nullptr) {
    GstWebRTCRTPTransceiver* transceiver = nullptr;
    g_object_get(pad, "transceiver", &transceiver, nullptr);
    if (transceiver != nullptr) {
      gchar* text = nullptr;
      g_object_get(transceiver, "mid", &text, "mlineindex", &mline, nullptr);
      mid = text != nullptr ? text : "";
      g_free(text);
      gst_object_unref(transceiver);
    }
  }
  if (mid.empty()) {
    // Webrtcbin 1.22 fills a transceiver's mid only when it made the offer; its m-line index
    // names the section of the bridge's offer just as well.
    mid = p->midAt(mline);
  }
  if (mid.empty()) {
    spdlog::warn("cannot tell the section of received pad {}; counted as unknown", GST_PAD_NAME(pad));
    mid = "?";
  }
  GstElement* decodebin = gst_element_factory_make("decodebin", nullptr);
  if (decodebin == nullptr) {
    p->postError("decodebin is missing");
    return;
  }
  g_signal_connect_data(decodebin, "pad-added", G_CALLBACK(onDecodedStream), new Probe{p, mid}, deleteProbeClosure,
                        GConnectFlags(0));
  g_signal_connect(decodebin, "element-added", G_CALLBACK(onDecoderElement), p);
  gst_bin_add(GST_BIN(p->pipeline_.get()), decodebin);
  gst_element_sync_state_with_parent(decodebin);
  GstPad* sink = gst_element_get_static_pad(decodebin, "sink");
  if (gst_pad_link(pad, sink) != GST_PAD_LINK_OK) {
    p->postError("cannot link received section " + mid + " to decodebin");
  }
  gst_object_unref(sink);
  // Rtpbin exposes the pad when the stream's first packet leaves its jitter buffer.
  const std::string kind = padMediaKind(pad);
  if (p->keyframeWatchdog_ && kind == "video") p->watchdog_.watch(pad, mid);
  const std::string from = p->participantOf(mid);
  p->timeline_.mark(kind + "_jitterbuffer_out." + from);
  spdlog::info("receiving section {} (from {})", mid, from);
}

// Like a browser's decoder, a depayloader that lost part of a frame shows nothing until the next
// keyframe and asks for one (PLI): an unrepaired loss becomes a visible freeze, as on a real site.
void SubscribePipeline::onDecoderElement(GstBin*, GstElement* element, gpointer) {
  GObjectClass* klass = G_OBJECT_GET_CLASS(element);
  if (g_object_class_find_property(klass, "wait-for-keyframe") != nullptr &&
      g_object_class_find_property(klass, "request-keyframe") != nullptr) {
    g_object_set(element, "wait-for-keyframe", TRUE, "request-keyframe", TRUE, nullptr);
  }
}

void SubscribePipeline::onLocalDescriptionSet(GstPromise* promise, gpointer self) {
  gst_promise_unref(promise);
  static_cast<SubscribePipeline*>(self)->applyRtxMap();
}

void SubscribePipeline::onDeepElementAdded(GstBin*, GstBin*, GstElement* element, gpointer self) {
  GstElementFactory* factory = gst_element_get_factory(element);
  if (factory != nullptr && std::string(GST_OBJECT_NAME(factory)) == "rtprtxreceive") {
    static_cast<SubscribePipeline*>(self)->applyRtxMap();
  }
}

void SubscribePipeline::applyRtxMap() {
  if (webrtc_ == nullptr) {
    return;
  }
  GstStructure* map = gst_structure_new_empty("application/x-rtp-pt-map");
  {
    std::lock_guard lock(rtxMutex_);
    if (mediaToRtx_.empty()) {
      gst_structure_free(map);
      return;
    }
    // Keyed by the media payload type, as webrtcbin sets it itself when it gets it right: keyed
    // by the RTX type instead, every VP8 packet (96) passed for a repair of type 97, lost its
    // first two bytes as the original sequence number and was dropped as unrequested, so video
    // stopped after a renegotiation until webrtcbin happened to set its own map again.
    for (const auto& [media, rtx] : mediaToRtx_) {
      gst_structure_set(map, std::to_string(media).c_str(), G_TYPE_UINT, static_cast<guint>(rtx), nullptr);
    }
  }
  GstIterator* it = gst_bin_iterate_recurse(GST_BIN(webrtc_));
  GValue item = G_VALUE_INIT;
  while (gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
    auto* element = GST_ELEMENT(g_value_get_object(&item));
    GstElementFactory* factory = gst_element_get_factory(element);
    if (factory != nullptr && std::string(GST_OBJECT_NAME(factory)) == "rtprtxreceive") {
      g_object_set(element, "payload-type-map", map, nullptr);
    }
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(it);
  gst_structure_free(map);
}

void SubscribePipeline::onNewJitterBuffer(GstElement*, GstElement* jitterbuffer, guint, guint, gpointer self) {
  // Made for a new SSRC's first packet, decrypted: the first media from the bridge.
  static_cast<SubscribePipeline*>(self)->timeline_.mark("sub.first_rtp");
  // Audio too, although the answer offers no NACK for it (enableVideoNack) and a browser sends none:
  // these NACKs of late audio packets (docs/PERFORMANCE.md, "Loopback meetings") are most of what a
  // receive-only webrtcbin sends. Without them it sends a receiver report every few seconds only,
  // and the bridge, which takes a connection's silence for lost consent (IceTransport::checkConsent),
  // dropped meeting_resume's site (consent timeout 3 s) in 22 of 23 runs.
  // Faststart: a stream starts as soon as two packets in sequence are in instead of after the
  // whole latency, as a browser shows a first frame once it is complete. The latency still bounds
  // the wait for a missing packet, so retransmission keeps its time (docs/PERFORMANCE.md, "Join time").
  g_object_set(jitterbuffer, "do-retransmission", TRUE, "faststart-min-packets", 2u, nullptr);
}

void SubscribePipeline::watchRepairs(GstElement* rtpbin, GstElement* jitterbuffer, guint session, guint ssrc,
                                     gpointer self) {
  auto* p = static_cast<SubscribePipeline*>(self);
  p->repairs_.watch(jitterbuffer, ssrc);
  if (p->promptFeedback_) promptFeedback(rtpbin, session);
}

void SubscribePipeline::onDecodedStream(GstElement*, GstPad* pad, gpointer data) {
  const auto* source = static_cast<Probe*>(data);
  SubscribePipeline* p = source->owner;
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
  const char* desc = !video ? "queue ! audioconvert ! audio/x-raw,format=S16LE,layout=interleaved ! "
                              "fakesink name=counter sync=false async=false"
                     : p->renderAtPlayout_ ? "queue ! fakesink name=counter sync=true async=false"
                                           : "queue ! fakesink name=counter sync=false async=false";
  GError* error = nullptr;
  GstElement* bin = gst_parse_bin_from_description(desc, TRUE, &error);
  if (bin == nullptr) {
    p->postError(std::string("cannot build the decode sink: ") + (error != nullptr ? error->message : "?"));
    g_clear_error(&error);
    return;
  }
  gst_bin_add(GST_BIN(p->pipeline_.get()), bin);
  gst_element_sync_state_with_parent(bin);
  GstElement* counter = gst_bin_get_by_name(GST_BIN(bin), "counter");
  GstPad* counted = gst_element_get_static_pad(counter, "sink");
  gst_pad_add_probe(counted, GST_PAD_PROBE_TYPE_BUFFER, video ? countVideo : countAudio,
                    new Probe{p, source->mid}, deleteProbe);
  gst_object_unref(counted);
  gst_object_unref(counter);
  GstPad* sink = gst_element_get_static_pad(bin, "sink");
  if (gst_pad_link(pad, sink) != GST_PAD_LINK_OK) {
    p->postError("cannot link a decoded " + name + " stream");
  }
  gst_object_unref(sink);
  spdlog::info("decoding {} from section {} ({})", name, source->mid, p->participantOf(source->mid));
}

GstPadProbeReturn SubscribePipeline::countVideo(GstPad*, GstPadProbeInfo*, gpointer data) {
  const auto* probe = static_cast<Probe*>(data);
  const auto now = ReceiveCounters::Clock::now();
  const std::string from = probe->owner->participantOf(probe->mid);
  if (probe->owner->keyframeWatchdog_) probe->owner->watchdog_.onFrameShown(probe->mid);
  if (probe->owner->counters_.countVideoFrame(from, now)) {
    probe->owner->timeline_.mark("video_decoded." + from, now);
  }
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn SubscribePipeline::countAudio(GstPad* pad, GstPadProbeInfo* info, gpointer data) {
  const auto* probe = static_cast<Probe*>(data);
  GstCaps* caps = gst_pad_get_current_caps(pad);
  if (caps == nullptr) {
    return GST_PAD_PROBE_OK;
  }
  int rate = 0;
  int channels = 0;
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  const bool known = gst_structure_get_int(s, "rate", &rate) && gst_structure_get_int(s, "channels", &channels) &&
                     rate > 0 && channels > 0;
  gst_caps_unref(caps);
  if (!known) {
    return GST_PAD_PROBE_OK;
  }
  const gsize bytes = gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info));
  probe->owner->counters_.countAudio(probe->owner->participantOf(probe->mid),
                                     bytes / static_cast<gsize>(2 * channels), rate,
                                     ReceiveCounters::Clock::now());
  return GST_PAD_PROBE_OK;
}

gboolean SubscribePipeline::onBusMessage(GstBus*, GstMessage* message, gpointer self) {
  auto* p = static_cast<SubscribePipeline*>(self);
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
  std::string text = std::string("subscribe: ") + GST_OBJECT_NAME(message->src) + ": " + error->message;
  spdlog::log(isError ? spdlog::level::err : spdlog::level::warn, "{} ({})", text, debug != nullptr ? debug : "");
  g_clear_error(&error);
  g_free(debug);
  if (isError) {
    p->listener_.onSubscribeError(std::move(text));
  }
  return G_SOURCE_CONTINUE;
}

void SubscribePipeline::deleteProbe(gpointer probe) { delete static_cast<Probe*>(probe); }

void SubscribePipeline::deleteProbeClosure(gpointer probe, GClosure*) { deleteProbe(probe); }

}  // namespace diemcau::peers
