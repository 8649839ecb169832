#pragma once

#include "tests/peers/JoinTimeline.hpp"
#include "tests/peers/KeyframeWatchdog.hpp"
#include "tests/peers/ReceiveCounters.hpp"
#include "tests/peers/RepairProbes.hpp"
#include "tests/peers/WebrtcbinSupport.hpp"

#include <gst/gst.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace diemcau::peers {

/// What a meeting participant receives: one webrtcbin that answers the bridge's subscriber
/// offers (renegotiations included) and decodes every stream, counting per remote participant.
///
///   webrtcbin "sub" (answerer) --src pad per transceiver--> decodebin --> counting fakesink
///        ^ subscribe.offer {version, sdp}        |
///        '--> subscribe.answer {version, sdp} <--'  (through the Listener)
///
/// A stream is attributed to a participant through its section: pad -> transceiver -> mid ->
/// the msid stream id of that mid in the latest offer (the bridge names the publishing
/// participant there). The bridge reuses a freed section for a later track, so the lookup is
/// made per buffer against the newest offer.
class SubscribePipeline {
 public:
  /// Called on the main context.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onSubscribeAnswer(std::uint32_t version, std::string sdp) = 0;
    virtual void onSubscribeCandidate(unsigned mlineIndex, std::string candidate) = 0;
    virtual void onSubscribeGatheringComplete() = 0;
    virtual void onSubscribeError(std::string message) = 0;
  };

  SubscribePipeline(GMainContext* context, Listener& listener, ReceiveCounters& counters, JoinTimeline& timeline);
  ~SubscribePipeline();
  SubscribePipeline(const SubscribePipeline&) = delete;
  SubscribePipeline& operator=(const SubscribePipeline&) = delete;

  /// Local UDP ports of the ICE agent (before start(); 0: any).
  void setIceAddress(std::string address) { iceAddress_ = std::move(address); }
  void setIcePorts(int min, int max) {
    icePortMin_ = min;
    icePortMax_ = max;
  }
  /// Webrtcbin's jitter buffer latency (before start()).
  void setLatencyMs(unsigned ms) { latencyMs_ = ms; }
  /// Video frames count when they would be shown (the pipeline clock at their timestamp plus the
  /// latency), as a browser renders them, instead of when decoded (before start()).
  void setRenderAtPlayout(bool on) { renderAtPlayout_ = on; }
  /// NACKs leave within ~50 ms instead of at the RTCP report interval (promptFeedback; before start()).
  void setPromptFeedback(bool on) { promptFeedback_ = on; }
  /// A stuck video asks for keyframes again, as a browser's does (KeyframeWatchdog; before start()).
  void setKeyframeWatchdog(bool on) { keyframeWatchdog_ = on; }
  std::uint64_t watchdogKeyframeRequests() const { return watchdog_.requests(); }
  /// What became of the packets each received SSRC lacked (RepairProbes::toJson).
  nlohmann::json repairsJson() const { return repairs_.toJson(); }
  /// Builds the (empty) pipeline and sets it playing. Throws std::runtime_error.
  void start();
  /// Applies offer `version`; the answer follows through the listener. Throws
  /// std::invalid_argument when the text is not SDP.
  void applyOffer(std::uint32_t version, const std::string& sdp);
  void addRemoteCandidate(unsigned mlineIndex, const std::string& candidate);
  void stop();

  std::string iceConnectionState() const { return iceConnectionStateOf(webrtc_); }
  std::string connectionState() const { return connectionStateOf(webrtc_); }

 private:
  /// One decoded stream: which section it came from.
  struct Probe {
    SubscribePipeline* owner;
    std::string mid;
  };
  struct PendingOffer {
    SubscribePipeline* owner;
    std::uint32_t version;
  };

  std::string participantOf(const std::string& mid) const;
  std::string midAt(unsigned mlineIndex) const;
  void postError(std::string message);

  static void onOfferSet(GstPromise* promise, gpointer pending);
  static void onAnswerCreated(GstPromise* promise, gpointer pending);
  static void onIceCandidate(GstElement* webrtc, guint mline, gchar* candidate, gpointer self);
  static void onGatheringState(GObject* webrtc, GParamSpec* spec, gpointer self);
  static void onIncomingStream(GstElement* webrtc, GstPad* pad, gpointer self);
  static void onDecodedStream(GstElement* decodebin, GstPad* pad, gpointer probe);
  static void onDecoderElement(GstBin* decodebin, GstElement* element, gpointer self);
  static void onNewJitterBuffer(GstElement* rtpbin, GstElement* jitterbuffer, guint session, guint ssrc, gpointer self);
  static void watchRepairs(GstElement* rtpbin, GstElement* jitterbuffer, guint session, guint ssrc, gpointer self);
  static void onLocalDescriptionSet(GstPromise* promise, gpointer self);
  static void onDeepElementAdded(GstBin* bin, GstBin* sub, GstElement* element, gpointer self);
  /// Sets the RTX payload map (media -> rtx payload type, from the answer's apt=) on every rtprtxreceive.
  void applyRtxMap();
  static GstPadProbeReturn countVideo(GstPad* pad, GstPadProbeInfo* info, gpointer probe);
  static GstPadProbeReturn countAudio(GstPad* pad, GstPadProbeInfo* info, gpointer probe);
  static gboolean onBusMessage(GstBus* bus, GstMessage* message, gpointer self);
  static void deleteProbe(gpointer probe);
  static void deleteProbeClosure(gpointer probe, GClosure* closure);

  GMainContext* context_;
  Listener& listener_;
  ReceiveCounters& counters_;
  JoinTimeline& timeline_;
  GstElementPtr pipeline_;
  GstElement* webrtc_ = nullptr;  // owned by pipeline_
  guint busWatch_ = 0;
  unsigned latencyMs_ = 200;
  bool renderAtPlayout_ = false;
  bool promptFeedback_ = false;
  bool keyframeWatchdog_ = false;
  KeyframeWatchdog watchdog_;
  RepairProbes repairs_;
  int icePortMin_ = 0;
  int icePortMax_ = 0;
  std::string iceAddress_ = "127.0.0.1";

  std::mutex rtxMutex_;
  std::map<int, int> mediaToRtx_;  // a=fmtp:<rtx> apt=<media> of the latest answer
  mutable std::mutex sectionsMutex_;  // streaming threads read, the main thread writes
  std::map<std::string, std::string> participantByMid_;
  std::vector<std::string> midByIndex_;  // m-line order of the latest offer
};

}  // namespace diemcau::peers
