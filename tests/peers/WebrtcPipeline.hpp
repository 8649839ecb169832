#pragma once

#include "tests/peers/PeerOptions.hpp"
#include "tests/peers/WebrtcbinSupport.hpp"

#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace diemcau::peers {

/// Live test sources sent through webrtcbin, and decoders that count what comes back.
///
///   videotestsrc -> vp8enc|x264enc -> rtp*pay --+
///                                                    webrtcbin (max-bundle, rtcp-mux)
///   audiotestsrc -> opusenc -> rtpopuspay ----------+     |  src pads (one per received track)
///                                                         v
///                                 decodebin -> [audioconvert S16] -> counting fakesink .
///
/// Webrtcbin calls back from its own threads; every Listener call is marshalled onto the
/// GLib main context given to the constructor.
class WebrtcPipeline {
 public:
  /// Called on the main context.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onOfferCreated(std::string sdp) = 0;
    virtual void onLocalCandidate(unsigned mlineIndex, std::string candidate) = 0;
    virtual void onGatheringComplete() = 0;
    virtual void onPipelineError(std::string message) = 0;
  };

  struct Stats {
    std::uint64_t videoFrames = 0;
    std::uint64_t audioSamples = 0;
    int audioRate = 0;
    std::optional<std::chrono::steady_clock::time_point> firstVideoAt;
  };

  WebrtcPipeline(GMainContext* context, Listener& listener, VideoCodec videoCodec);
  ~WebrtcPipeline();
  WebrtcPipeline(const WebrtcPipeline&) = delete;
  WebrtcPipeline& operator=(const WebrtcPipeline&) = delete;

  /// Builds the pipeline and sets it playing; the offer follows through the listener.
  /// Throws std::runtime_error when an element is missing.
  void start();
  /// Throws std::invalid_argument when the text is not SDP.
  void setRemoteAnswer(const std::string& sdp);
  void addRemoteCandidate(unsigned mlineIndex, const std::string& candidate);
  void stop();

  Stats stats() const;
  std::string iceConnectionState() const;
  std::string connectionState() const;

 private:
  using ElementPtr = GstElementPtr;

  /// Written by streaming threads, read by the main thread.
  struct Counters {
    std::atomic<std::uint64_t> videoFrames{0};
    std::atomic<std::uint64_t> audioSamples{0};
    std::atomic<int> audioRate{0};
    std::atomic<int> audioChannels{0};
    std::atomic<std::int64_t> firstVideoNs{-1};  // steady_clock since epoch
  };

  std::string describe() const;
  void postError(std::string message);

  static void onNegotiationNeeded(GstElement* webrtc, gpointer self);
  static void onOfferReply(GstPromise* promise, gpointer self);
  static void onRemoteDescriptionSet(GstPromise* promise, gpointer self);
  static void onIceCandidate(GstElement* webrtc, guint mline, gchar* candidate, gpointer self);
  static void onGatheringState(GObject* webrtc, GParamSpec* spec, gpointer self);
  static void onIncomingStream(GstElement* webrtc, GstPad* pad, gpointer self);
  static void onDecodedStream(GstElement* decodebin, GstPad* pad, gpointer self);
  static GstPadProbeReturn countVideo(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  static GstPadProbeReturn countAudio(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  static gboolean onBusMessage(GstBus* bus, GstMessage* message, gpointer self);

  GMainContext* context_;
  Listener& listener_;
  VideoCodec videoCodec_;
  ElementPtr pipeline_;
  GstElement* webrtc_ = nullptr;  // owned by pipeline_
  guint busWatch_ = 0;
  std::atomic<bool> offerRequested_{false};
  Counters counters_;
};

}  // namespace diemcau::peers
