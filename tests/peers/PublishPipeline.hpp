#pragma once

#include "tests/peers/WebrtcbinSupport.hpp"

#include <gst/gst.h>

#include <atomic>
#include <string>

namespace diemcau::peers {

/// What a meeting participant sends: one webrtcbin, sendonly, the client offers (the meeting
/// protocol's `publish`).
///
///   videotestsrc 320x240 -> vp8enc -> rtpvp8pay --+
///                                                  webrtcbin "pub" (max-bundle, sendonly)
///   audiotestsrc sine F  -> opusenc -> rtpopuspay -+
///
/// Webrtcbin calls back from its own threads; every Listener call is marshalled onto the GLib
/// main context given to the constructor.
class PublishPipeline {
 public:
  /// Called on the main context.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onPublishOffer(std::string sdp) = 0;
    virtual void onPublishCandidate(unsigned mlineIndex, std::string candidate) = 0;
    virtual void onPublishGatheringComplete() = 0;
    virtual void onPublishError(std::string message) = 0;
  };

  struct Options {
    bool video = true;
    bool audio = true;
    int audioFrequencyHz = 440;
    double audioVolume = 0.3;
    bool audioLevels = false;  // level meter + RFC 6464 header extension on the payloader
    int videoFps = 15;
    int icePortMin = 0;  // 0: any local port
    int icePortMax = 0;
    std::string iceAddress = "127.0.0.1";
  };

  PublishPipeline(GMainContext* context, Listener& listener, Options options);
  ~PublishPipeline();
  PublishPipeline(const PublishPipeline&) = delete;
  PublishPipeline& operator=(const PublishPipeline&) = delete;

  /// Builds the pipeline and sets it playing; the offer follows through the listener. Throws
  /// std::runtime_error when an element is missing or nothing is to be sent.
  void start();
  /// Throws std::invalid_argument when the text is not SDP.
  void setRemoteAnswer(const std::string& sdp);
  void addRemoteCandidate(unsigned mlineIndex, const std::string& candidate);
  void stop();

  std::string iceConnectionState() const { return iceConnectionStateOf(webrtc_); }
  std::string connectionState() const { return connectionStateOf(webrtc_); }

 private:
  std::string describe() const;
  void postError(std::string message);

  static void onNegotiationNeeded(GstElement* webrtc, gpointer self);
  static void onOfferReply(GstPromise* promise, gpointer self);
  static void onAnswerSet(GstPromise* promise, gpointer self);
  static void onIceCandidate(GstElement* webrtc, guint mline, gchar* candidate, gpointer self);
  static void onGatheringState(GObject* webrtc, GParamSpec* spec, gpointer self);
  static gboolean onBusMessage(GstBus* bus, GstMessage* message, gpointer self);

  GMainContext* context_;
  Listener& listener_;
  Options options_;
  GstElementPtr pipeline_;
  GstElement* webrtc_ = nullptr;  // owned by pipeline_
  guint busWatch_ = 0;
  std::atomic<bool> offerRequested_{false};
};

}  // namespace diemcau::peers
