#include "signaling/archive/render/CompositeRender.hpp"

#include <gst/controller/gstdirectcontrolbinding.h>
#include <gst/controller/gstinterpolationcontrolsource.h>
#include <gst/gst.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "media/recorder/GstHandles.hpp"
#include "signaling/archive/render/GridLayout.hpp"

namespace diemcau::signaling::archive::render {

namespace fs = std::filesystem;
using media::recorder::GstBusPtr;
using media::recorder::GstElementPtr;
using media::recorder::GstMessagePtr;
using media::recorder::GstPadPtr;

namespace {

constexpr int kAudioRate = 48000;
constexpr GstClockTime kMs = GST_MSECOND;

/// `name` "" lets GStreamer pick one; a recording's elements are named "rec<index>-..." so an error
/// message can be traced back to its recording (see recordingOf).
GstElement* make(const char* factory, const std::string& name = {}) {
  GstElement* element = gst_element_factory_make(factory, name.empty() ? nullptr : name.c_str());
  if (!element) throw RenderError(std::string("GStreamer element '") + factory + "' is not installed");
  return element;
}

GstCaps* videoCaps(int width, int height, int fps) {
  return gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, width, "height", G_TYPE_INT, height,
                             "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, "framerate", GST_TYPE_FRACTION, fps, 1,
                             nullptr);
}

GstCaps* audioCaps() {
  return gst_caps_new_simple("audio/x-raw", "rate", G_TYPE_INT, kAudioRate, "channels", G_TYPE_INT, 2, "format",
                             G_TYPE_STRING, "S16LE", nullptr);
}

GstElement* capsFilter(GstCaps* caps, const std::string& name = {}) {
  GstElement* filter = make("capsfilter", name);
  g_object_set(filter, "caps", caps, nullptr);
  gst_caps_unref(caps);
  return filter;
}

/// Adds the elements to the bin and links them in order; throws RenderError when a link fails.
void addChain(GstBin* bin, const std::vector<GstElement*>& chain) {
  for (GstElement* e : chain) {
    if (!GST_OBJECT_PARENT(e)) gst_bin_add(bin, e);
  }
  for (size_t i = 1; i < chain.size(); ++i) {
    if (!gst_element_link(chain[i - 1], chain[i])) {
      throw RenderError(std::string("cannot link ") + GST_ELEMENT_NAME(chain[i - 1]) + " to " +
                        GST_ELEMENT_NAME(chain[i]));
    }
  }
}

void linkToPad(GstElement* from, GstPad* to) {
  GstPadPtr src(gst_element_get_static_pad(from, "src"));
  if (gst_pad_link(src.get(), to) != GST_PAD_LINK_OK) {
    throw RenderError(std::string("cannot link ") + GST_ELEMENT_NAME(from) + " to " + GST_PAD_NAME(to));
  }
}

/// A stepped schedule for one integer property of a pad: the value holds until the next point.
void scheduleProperty(GstPad* pad, const char* property, const std::vector<std::pair<GstClockTime, int>>& points) {
  GstControlSource* source = gst_interpolation_control_source_new();
  g_object_set(source, "mode", GST_INTERPOLATION_MODE_NONE, nullptr);
  for (const auto& [at, value] : points) {
    gst_timed_value_control_source_set(GST_TIMED_VALUE_CONTROL_SOURCE(source), at, static_cast<double>(value));
  }
  gst_object_add_control_binding(GST_OBJECT(pad),
                                 gst_direct_control_binding_new_absolute(GST_OBJECT(pad), property, source));
  gst_object_unref(source);
}

/// Drops what the aggregators produce after the meeting's end and ends the stream there, so the
/// output is exactly as long as the meeting even when a recording ran past it.
GstPadProbeReturn clipAtEnd(GstPad* pad, GstPadProbeInfo* info, gpointer endNs) {
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  const auto end = static_cast<GstClockTime>(reinterpret_cast<uintptr_t>(endNs));
  if (!GST_BUFFER_PTS_IS_VALID(buffer) || GST_BUFFER_PTS(buffer) < end) return GST_PAD_PROBE_OK;
  if (!GST_PAD_IS_EOS(pad)) gst_pad_push_event(pad, gst_event_new_eos());
  // Handled with EOS as the flow result: the aggregator stops instead of mixing on past the end.
  gst_buffer_unref(buffer);
  GST_PAD_PROBE_INFO_FLOW_RETURN(info) = GST_FLOW_EOS;
  return GST_PAD_PROBE_HANDLED;
}

/// One recording: its decodebin and the aggregator pads it feeds once its streams appear.
struct Branch {
  GstBin* bin = nullptr;
  std::string prefix;  // "rec<index>-", the start of every element name of this recording
  std::string name;
  std::string file;
  GstPadPtr videoPad;
  GstPadPtr audioPad;
  std::mutex mutex;
  bool videoLinked = false;
  bool audioLinked = false;
};

void linkVideo(Branch& b, GstPad* decoded) {
  // No scaling here: the compositor scales each tile once, straight to its place (keeping its shape).
  // textoverlay sizes the font to the picture's width, so names look alike at any source size.
  GstElement* queue = make("queue", b.prefix + "vqueue");
  GstElement* convert = make("videoconvert", b.prefix + "vconvert");
  GstElement* text = make("textoverlay", b.prefix + "name");
  g_object_set(text, "text", b.name.c_str(), "valignment", 1 /* bottom */, "halignment", 0 /* left */,
               "shaded-background", TRUE, "font-desc", "Sans Bold 20", "auto-resize", TRUE, nullptr);
  addChain(b.bin, {queue, convert, text});
  for (GstElement* e : {queue, convert, text}) gst_element_sync_state_with_parent(e);
  GstPadPtr sink(gst_element_get_static_pad(queue, "sink"));
  if (gst_pad_link(decoded, sink.get()) != GST_PAD_LINK_OK) throw RenderError("cannot link the decoded video");
  linkToPad(text, b.videoPad.get());
}

void linkAudio(Branch& b, GstPad* decoded) {
  GstElement* queue = make("queue", b.prefix + "aqueue");
  GstElement* convert = make("audioconvert", b.prefix + "aconvert");
  GstElement* resample = make("audioresample", b.prefix + "aresample");
  GstElement* caps = capsFilter(audioCaps(), b.prefix + "acaps");
  addChain(b.bin, {queue, convert, resample, caps});
  for (GstElement* e : {queue, convert, resample, caps}) gst_element_sync_state_with_parent(e);
  GstPadPtr sink(gst_element_get_static_pad(queue, "sink"));
  if (gst_pad_link(decoded, sink.get()) != GST_PAD_LINK_OK) throw RenderError("cannot link the decoded audio");
  linkToPad(caps, b.audioPad.get());
}

void onDecodedPad(GstElement* /*decodebin*/, GstPad* pad, gpointer data) {
  auto& b = *static_cast<Branch*>(data);
  GstCaps* caps = gst_pad_get_current_caps(pad);
  if (!caps) caps = gst_pad_query_caps(pad, nullptr);
  const std::string kind = gst_structure_get_name(gst_caps_get_structure(caps, 0));
  gst_caps_unref(caps);
  std::lock_guard lock(b.mutex);
  try {
    if (kind.starts_with("video/") && !b.videoLinked) {
      linkVideo(b, pad);
      b.videoLinked = true;
    } else if (kind.starts_with("audio/") && !b.audioLinked) {
      linkAudio(b, pad);
      b.audioLinked = true;
    }
  } catch (const RenderError& e) {
    spdlog::warn("render: {}: {}", b.file, e.what());
  }
}

/// A recording without audio (or video) must not hold the mixer waiting: its pad ends at once.
void onNoMorePads(GstElement* /*decodebin*/, gpointer data) {
  auto& b = *static_cast<Branch*>(data);
  std::lock_guard lock(b.mutex);
  if (!b.videoLinked) gst_pad_send_event(b.videoPad.get(), gst_event_new_eos());
  if (!b.audioLinked) gst_pad_send_event(b.audioPad.get(), gst_event_new_eos());
}

struct PipelineStopper {
  void operator()(GstElement* pipeline) const noexcept {
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(pipeline);
  }
};

class Renderer {
 public:
  Renderer(const RenderPlan& plan, const RenderOptions& options) : plan_(plan), options_(options) {}

  RenderResult run() {
    build();
    return play();
  }

 private:
  void build() {
    pipeline_.reset(gst_pipeline_new("render"));
    GstBin* bin = GST_BIN(pipeline_.get());
    const GstClockTime endNs = static_cast<GstClockTime>(plan_.durationMs) * kMs;
    const int w = options_.width, h = options_.height, fps = options_.fps;

    compositor_ = make("compositor");
    g_object_set(compositor_, "background", 1 /* black */, nullptr);
    mixer_ = make("audiomixer");
    gst_bin_add_many(bin, compositor_, mixer_, nullptr);

    // The background: black picture and silence for the whole meeting; they set the output's length.
    GstElement* black = make("videotestsrc");
    g_object_set(black, "pattern", 2 /* black */, "num-buffers",
                 static_cast<int>((plan_.durationMs * fps + 999) / 1000), nullptr);
    GstElement* blackCaps = capsFilter(videoCaps(w, h, fps));
    addChain(bin, {black, blackCaps});
    GstPadPtr base(gst_element_request_pad_simple(compositor_, "sink_%u"));
    g_object_set(base.get(), "zorder", 0u, "xpos", 0, "ypos", 0, "width", w, "height", h, nullptr);
    linkToPad(blackCaps, base.get());
    GstElement* silence = make("audiotestsrc");
    g_object_set(silence, "wave", 4 /* silence */, "samplesperbuffer", kAudioRate / 100, "num-buffers",
                 static_cast<int>((plan_.durationMs + 9) / 10), nullptr);
    GstElement* silenceCaps = capsFilter(audioCaps());
    addChain(bin, {silence, silenceCaps});
    GstPadPtr quiet(gst_element_request_pad_simple(mixer_, "sink_%u"));
    linkToPad(silenceCaps, quiet.get());

    for (size_t i = 0; i < plan_.tracks.size(); ++i) addRecording(i, endNs);

    // Encoders and the muxer.
    const bool webm = options_.output.extension() == ".webm";
    GstElement* outCaps = capsFilter(videoCaps(w, h, fps));
    GstElement* videoConvert = make("videoconvert");
    // 4:2:0, the only chroma layout browsers and phones play back in H.264 and VP8.
    GstElement* planar = capsFilter(gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "I420", nullptr));
    GstElement* videoQueue = make("queue");
    GstElement* videoEncoder = webm ? make("vp8enc") : make("x264enc");
    if (webm) {
      g_object_set(videoEncoder, "deadline", G_GINT64_CONSTANT(1), "cpu-used", 16, "threads", 2,
                   "target-bitrate", options_.videoKbps * 1000, "keyframe-max-dist", fps * 2, nullptr);
    } else {
      gst_util_set_object_arg(G_OBJECT(videoEncoder), "speed-preset", "superfast");
      g_object_set(videoEncoder, "bitrate", static_cast<guint>(options_.videoKbps), "key-int-max",
                   static_cast<guint>(fps * 2), nullptr);
    }
    GstElement* audioConvert = make("audioconvert");
    GstElement* audioResample = make("audioresample");
    GstElement* audioQueue = make("queue");
    GstElement* audioEncoder = webm ? make("opusenc") : aacEncoder();
    GstElement* muxer = make(webm ? "webmmux" : "mp4mux");
    GstElement* sink = make("filesink");
    g_object_set(sink, "location", options_.output.c_str(), nullptr);
    addChain(bin, {compositor_, outCaps, videoConvert, planar, videoQueue, videoEncoder});
    addChain(bin, {mixer_, audioConvert, audioResample, audioQueue, audioEncoder});
    gst_bin_add_many(bin, muxer, sink, nullptr);
    if (!gst_element_link(videoEncoder, muxer) || !gst_element_link(audioEncoder, muxer) ||
        !gst_element_link(muxer, sink)) {
      throw RenderError("cannot link the encoders to the muxer");
    }
    for (GstElement* aggregator : {compositor_, mixer_}) {
      GstPadPtr src(gst_element_get_static_pad(aggregator, "src"));
      gst_pad_add_probe(src.get(), GST_PAD_PROBE_TYPE_BUFFER, clipAtEnd,
                        reinterpret_cast<gpointer>(static_cast<uintptr_t>(endNs)), nullptr);
    }
  }

  static GstElement* aacEncoder() {
    // avenc_aac (FFmpeg's native encoder) first; voaacenc when this FFmpeg lacks it.
    if (GstElement* e = gst_element_factory_make("avenc_aac", nullptr)) return e;
    return make("voaacenc");
  }

  void addRecording(size_t index, GstClockTime endNs) {
    const RenderTrack& track = plan_.tracks[index];
    auto branch = std::make_unique<Branch>();
    branch->bin = GST_BIN(pipeline_.get());
    branch->prefix = "rec" + std::to_string(index) + "-";
    branch->name = track.displayName;
    branch->file = track.file.string();
    const gint64 offsetNs = static_cast<gint64>(track.offsetMs) * static_cast<gint64>(kMs);

    branch->videoPad.reset(gst_element_request_pad_simple(compositor_, "sink_%u"));
    g_object_set(branch->videoPad.get(), "zorder", static_cast<guint>(index + 1), nullptr);
    gst_util_set_object_arg(G_OBJECT(branch->videoPad.get()), "sizing-policy", "keep-aspect-ratio");
    gst_pad_set_offset(branch->videoPad.get(), offsetNs);
    std::vector<std::pair<GstClockTime, int>> xs, ys, ws, hs;
    for (const LayoutChange& change : plan_.layout) {
      const GstClockTime at = std::min<GstClockTime>(static_cast<GstClockTime>(change.atMs) * kMs, endNs);
      const TileRect r = gridLayout(plan_.tracks.size(), change.big, options_.width, options_.height)[index];
      xs.emplace_back(at, r.x);
      ys.emplace_back(at, r.y);
      ws.emplace_back(at, r.width);
      hs.emplace_back(at, r.height);
    }
    scheduleProperty(branch->videoPad.get(), "xpos", xs);
    scheduleProperty(branch->videoPad.get(), "ypos", ys);
    scheduleProperty(branch->videoPad.get(), "width", ws);
    scheduleProperty(branch->videoPad.get(), "height", hs);

    branch->audioPad.reset(gst_element_request_pad_simple(mixer_, "sink_%u"));
    gst_pad_set_offset(branch->audioPad.get(), offsetNs);

    GstElement* source = make("filesrc", branch->prefix + "file");
    g_object_set(source, "location", branch->file.c_str(), nullptr);
    GstElement* decode = make("decodebin", branch->prefix + "decode");
    addChain(branch->bin, {source, decode});
    g_signal_connect(decode, "pad-added", G_CALLBACK(onDecodedPad), branch.get());
    g_signal_connect(decode, "no-more-pads", G_CALLBACK(onNoMorePads), branch.get());
    branches_.push_back(std::move(branch));
  }

  RenderResult play() {
    GstBusPtr bus(gst_element_get_bus(pipeline_.get()));
    const auto started = std::chrono::steady_clock::now();
    if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
      throw RenderError("the render pipeline does not start (is " + options_.output.string() + " writable?)");
    }
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    double lastReport = 0;
    for (;;) {
      GstMessagePtr message(gst_bus_timed_pop_filtered(
          bus.get(), 200 * GST_MSECOND, static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS)));
      if (message && GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS) break;
      if (message) {
        GError* error = nullptr;
        gchar* debug = nullptr;
        gst_message_parse_error(message.get(), &error, &debug);
        const std::string text = std::string(GST_OBJECT_NAME(GST_MESSAGE_SRC(message.get()))) + ": " +
                                 (error ? error->message : "unknown error");
        spdlog::debug("render: {}", debug ? debug : "");
        if (error) g_error_free(error);
        g_free(debug);
        throw RenderError(text, recordingOf(GST_MESSAGE_SRC(message.get())));
      }
      if (options_.onProgress && elapsed() - lastReport >= 0.5) {
        lastReport = elapsed();
        gint64 position = 0;
        if (gst_element_query_position(pipeline_.get(), GST_FORMAT_TIME, &position) && position > 0) {
          options_.onProgress(progress(position / static_cast<gint64>(kMs), lastReport));
        }
      }
    }
    const double seconds = elapsed();
    if (options_.onProgress) options_.onProgress(progress(plan_.durationMs, seconds));
    pipeline_.reset();
    return {seconds, seconds > 0 ? plan_.durationMs / 1000.0 / seconds : 0};
  }

  /// The file name of the recording whose element (or decodebin's inner element) posted a message:
  /// the nearest ancestor named "rec<index>-..."; "" for the shared part of the pipeline.
  std::string recordingOf(GstObject* source) const {
    for (GstObject* o = source; o != nullptr; o = GST_OBJECT_PARENT(o)) {
      const char* name = GST_OBJECT_NAME(o);
      if (name == nullptr) continue;
      const std::string_view text(name);
      if (!text.starts_with("rec")) continue;
      size_t index = 0, at = 3;
      while (at < text.size() && at < 9 && text[at] >= '0' && text[at] <= '9') index = index * 10 + (text[at++] - '0');
      if (at == 3 || at >= text.size() || text[at] != '-' || index >= branches_.size()) continue;
      return fs::path(branches_[index]->file).filename().string();
    }
    return {};
  }

  RenderProgress progress(int64_t positionMs, double elapsedSeconds) const {
    RenderProgress p;
    p.positionMs = std::min(positionMs, plan_.durationMs);
    p.durationMs = plan_.durationMs;
    p.elapsedSeconds = elapsedSeconds;
    p.speed = elapsedSeconds > 0 ? p.positionMs / 1000.0 / elapsedSeconds : 0;
    p.remainingSeconds = p.speed > 0 ? (p.durationMs - p.positionMs) / 1000.0 / p.speed : 0;
    return p;
  }

  const RenderPlan& plan_;
  const RenderOptions& options_;
  std::vector<std::unique_ptr<Branch>> branches_;  // outlive the pipeline: its callbacks point into them
  std::unique_ptr<GstElement, PipelineStopper> pipeline_;
  GstElement* compositor_ = nullptr;
  GstElement* mixer_ = nullptr;
};

}  // namespace

RenderResult renderComposite(const RenderPlan& plan, const RenderOptions& options) {
  if (plan.tracks.empty() || plan.durationMs <= 0) throw RenderError("nothing to render");
  const std::string ext = options.output.extension().string();
  if (ext != ".mp4" && ext != ".webm") throw RenderError("the output must end in .mp4 or .webm");
  gst_init(nullptr, nullptr);
  try {
    Renderer renderer(plan, options);
    return renderer.run();
  } catch (...) {
    std::error_code ignored;
    fs::remove(options.output, ignored);
    throw;
  }
}

}  // namespace diemcau::signaling::archive::render
