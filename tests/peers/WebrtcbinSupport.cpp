#include "tests/peers/WebrtcbinSupport.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

#include <stdexcept>
#include <string>

namespace diemcau::peers {

namespace {

template <typename Enum>
std::string enumNick(GType type, Enum value) {
  auto* klass = static_cast<GEnumClass*>(g_type_class_ref(type));
  const GEnumValue* v = g_enum_get_value(klass, static_cast<gint>(value));
  std::string nick = v != nullptr ? v->value_nick : "unknown";
  g_type_class_unref(klass);
  return nick;
}

// The media of what feeds a request pad of webrtcbin ("audio", "video"), or empty.
std::string linkedMedia(GstPad* pad) {
  GstCaps* caps = gst_pad_get_current_caps(pad);
  if (caps == nullptr) {
    caps = gst_pad_peer_query_caps(pad, nullptr);
  }
  std::string media;
  if (caps != nullptr && !gst_caps_is_empty(caps) && !gst_caps_is_any(caps)) {
    const gchar* value = gst_structure_get_string(gst_caps_get_structure(caps, 0), "media");
    media = value != nullptr ? value : "";
  }
  if (caps != nullptr) {
    gst_caps_unref(caps);
  }
  return media;
}

// A transceiver made for a request pad learns its kind only when the offer is made: until then
// the caps linked to the pad say it.
void setNackByLinkedMedia(GstElement* webrtc) {
  GstIterator* pads = gst_element_iterate_sink_pads(webrtc);
  GValue item = G_VALUE_INIT;
  while (gst_iterator_next(pads, &item) == GST_ITERATOR_OK) {
    auto* pad = GST_PAD(g_value_get_object(&item));
    GstWebRTCRTPTransceiver* transceiver = nullptr;
    g_object_get(pad, "transceiver", &transceiver, nullptr);
    if (transceiver != nullptr) {
      if (linkedMedia(pad) == "audio") {
        g_object_set(transceiver, "do-nack", FALSE, nullptr);
      }
      gst_object_unref(transceiver);
    }
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(pads);
}

}  // namespace

std::chrono::milliseconds prepareDtlsCertificate() {
  const auto start = std::chrono::steady_clock::now();
  // The plugin keeps the generated certificate for the process; the element is not needed.
  GstElement* dtls = gst_element_factory_make("dtlsdec", nullptr);
  if (dtls == nullptr) {
    throw std::runtime_error("dtlsdec (the GStreamer dtls plugin) is missing");
  }
  gst_object_unref(gst_object_ref_sink(dtls));
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

GstElementPtr launchPipeline(const std::string& description) {
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
  if (pipeline == nullptr || error != nullptr) {
    std::string message = error != nullptr ? error->message : "gst_parse_launch failed";
    g_clear_error(&error);
    if (pipeline != nullptr) {
      gst_object_unref(pipeline);
    }
    throw std::runtime_error("cannot build the pipeline: " + message);
  }
  return GstElementPtr(pipeline);
}

void addLocalAddress(GstElement* webrtc, const char* address) {
  GstWebRTCICE* ice = nullptr;
  g_object_get(webrtc, "ice-agent", &ice, nullptr);
  if (ice == nullptr) {
    throw std::runtime_error("webrtcbin has no ICE agent");
  }
  gboolean added = FALSE;
  g_signal_emit_by_name(ice, "add-local-ip-address", address, &added);
  gst_object_unref(ice);
  if (!added) {
    throw std::runtime_error(std::string("webrtcbin refused the local address ") + address);
  }
}

void enableVideoNack(GstElement* webrtc) {
  GArray* transceivers = nullptr;
  g_signal_emit_by_name(webrtc, "get-transceivers", &transceivers);
  if (transceivers == nullptr) {
    return;
  }
  for (guint i = 0; i < transceivers->len; ++i) {
    auto* transceiver = g_array_index(transceivers, GstWebRTCRTPTransceiver*, i);
    GstWebRTCKind kind = GST_WEBRTC_KIND_UNKNOWN;
    g_object_get(transceiver, "kind", &kind, nullptr);
    // Audio as browsers do it: no NACK. A 20 ms Opus packet repaired a round trip later is mostly
    // past its playout time, and the jitter buffer NACKs every packet that comes half a packet
    // time late (rtx-next-seqnum), so on a busy machine it NACKed packets that arrived a few
    // milliseconds later all the same. A kind not known yet keeps NACK: it may be video.
    g_object_set(transceiver, "do-nack", kind != GST_WEBRTC_KIND_AUDIO, nullptr);
  }
  g_array_unref(transceivers);
  setNackByLinkedMedia(webrtc);
}

void setIcePortRange(GstElement* webrtc, int min, int max) {
  if (min <= 0) {
    return;
  }
  GstWebRTCICE* ice = nullptr;
  g_object_get(webrtc, "ice-agent", &ice, nullptr);
  if (ice == nullptr) {
    throw std::runtime_error("webrtcbin has no ICE agent");
  }
  // Set max first: min may not exceed the current max.
  g_object_set(ice, "max-rtp-port", static_cast<guint>(max), "min-rtp-port", static_cast<guint>(min), nullptr);
  gst_object_unref(ice);
}

void setTransceiverDirections(GstElement* webrtc, int direction) {
  GArray* transceivers = nullptr;
  g_signal_emit_by_name(webrtc, "get-transceivers", &transceivers);
  if (transceivers == nullptr) {
    return;
  }
  for (guint i = 0; i < transceivers->len; ++i) {
    GstWebRTCRTPTransceiver* t = g_array_index(transceivers, GstWebRTCRTPTransceiver*, i);
    g_object_set(t, "direction", static_cast<GstWebRTCRTPTransceiverDirection>(direction), nullptr);
  }
  g_array_unref(transceivers);
}

GstWebRTCSessionDescription* parseDescription(int type, const std::string& sdp) {
  GstSDPMessage* message = nullptr;
  gst_sdp_message_new(&message);
  if (gst_sdp_message_parse_buffer(reinterpret_cast<const guint8*>(sdp.data()), static_cast<guint>(sdp.size()),
                                   message) != GST_SDP_OK ||
      gst_sdp_message_medias_len(message) == 0) {
    gst_sdp_message_free(message);
    throw std::invalid_argument("the text is not SDP with media sections");
  }
  return gst_webrtc_session_description_new(static_cast<GstWebRTCSDPType>(type), message);
}

std::string descriptionText(const GstWebRTCSessionDescription* description) {
  gchar* text = gst_sdp_message_as_text(description->sdp);
  std::string sdp = text != nullptr ? text : "";
  g_free(text);
  return sdp;
}

std::string promiseError(GstPromise* promise) {
  const GstStructure* reply = gst_promise_get_reply(promise);
  if (reply == nullptr || !gst_structure_has_field(reply, "error")) {
    return {};
  }
  GError* error = nullptr;
  gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr);
  std::string message = error != nullptr ? error->message : "unknown error";
  g_clear_error(&error);
  return message;
}

std::string iceConnectionStateOf(GstElement* webrtc) {
  if (webrtc == nullptr) {
    return "closed";
  }
  GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  g_object_get(webrtc, "ice-connection-state", &state, nullptr);
  return enumNick(GST_TYPE_WEBRTC_ICE_CONNECTION_STATE, state);
}

std::string connectionStateOf(GstElement* webrtc) {
  if (webrtc == nullptr) {
    return "closed";
  }
  GstWebRTCPeerConnectionState state = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
  g_object_get(webrtc, "connection-state", &state, nullptr);
  return enumNick(GST_TYPE_WEBRTC_PEER_CONNECTION_STATE, state);
}

}  // namespace diemcau::peers
