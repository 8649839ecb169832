#include "media/recorder/ParticipantRecorder.hpp"

#include <gst/app/gstappsrc.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "media/recorder/RecorderError.hpp"

namespace diemcau::media::recorder {

namespace {

constexpr size_t kMaxTracks = 8;
constexpr auto kDrainInterval = std::chrono::milliseconds(5);
constexpr GstClockTime kStopTimeout = 5 * GST_SECOND;
// A cluster at least every second bounds what a crash can lose to about a second.
constexpr gint64 kMaxClusterNs = 1'000'000'000;

int64_t monotonicNs() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string errorText(GstMessage* message) {
  GError* error = nullptr;
  gchar* debug = nullptr;
  gst_message_parse_error(message, &error, &debug);
  std::string text = error != nullptr ? error->message : "unknown pipeline error";
  if (debug != nullptr) spdlog::debug("recorder: {}", debug);
  if (error != nullptr) g_error_free(error);
  g_free(debug);
  return text;
}

}  // namespace

void ParticipantRecorder::Tap::onRtp(std::span<const uint8_t> packet) noexcept {
  queue_.push(index_, packet, monotonicNs());
}

ParticipantRecorder::ParticipantRecorder(std::filesystem::path file, std::vector<RecordedTrack> tracks,
                                         Listener* listener, Options options)
    : file_(std::move(file)),
      tracks_(std::move(tracks)),
      listener_(listener),
      options_(options),
      queue_(options.queueSlots) {
  if (tracks_.empty() || tracks_.size() > kMaxTracks) throw RecorderError("a recording needs 1 to 8 tracks");
  for (size_t i = 0; i < tracks_.size(); ++i) taps_.push_back(std::make_unique<Tap>(queue_, static_cast<uint8_t>(i)));
  buildPipeline();
  thread_ = std::thread([this] { run(); });
}

ParticipantRecorder::~ParticipantRecorder() { stop(); }

RtpSink& ParticipantRecorder::sink(size_t index) {
  if (index >= taps_.size()) throw RecorderError("no recorded track " + std::to_string(index));
  return *taps_[index];
}

void ParticipantRecorder::buildPipeline() {
  std::string description;
  for (size_t i = 0; i < tracks_.size(); ++i) {
    description += "appsrc name=src" + std::to_string(i) +
                   " is-live=true format=time do-timestamp=false ! rtpjitterbuffer latency=" +
                   std::to_string(options_.jitterLatencyMs) + " ! " + depayChainFor(tracks_[i].codec) + " ! mux. ";
  }
  description += "matroskamux name=mux ! filesink name=sink buffer-mode=unbuffered async=false";

  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
  if (error != nullptr) {
    // A partial pipeline may come back along with the error.
    if (pipeline != nullptr) gst_object_unref(pipeline);
    std::string text = error->message;
    g_error_free(error);
    throw RecorderError("recorder pipeline: " + text);
  }
  pipeline_.reset(pipeline);
  bus_.reset(gst_element_get_bus(pipeline_.get()));

  GstElementPtr mux(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "mux"));
  g_object_set(mux.get(), "max-cluster-duration", kMaxClusterNs, "min-cluster-duration", kMaxClusterNs / 2,
               nullptr);
  GstElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "sink"));
  g_object_set(sink.get(), "location", file_.c_str(), nullptr);

  for (size_t i = 0; i < tracks_.size(); ++i) {
    GstElementPtr src(gst_bin_get_by_name(GST_BIN(pipeline_.get()), ("src" + std::to_string(i)).c_str()));
    GstCapsPtr caps(gst_caps_from_string(rtpCapsFor(tracks_[i]).c_str()));
    gst_app_src_set_caps(GST_APP_SRC(src.get()), caps.get());
    if (isVideo(tracks_[i].codec)) {
      GstPadPtr pad(gst_element_get_static_pad(src.get(), "src"));
      gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, &ParticipantRecorder::onUpstreamEvent, this,
                        nullptr);
    }
    sources_.push_back(std::move(src));
  }

  // The packets' arrival times are CLOCK_MONOTONIC; so is this clock, so they convert to running time.
  GstClockPtr clock(gst_system_clock_obtain());
  g_object_set(clock.get(), "clock-type", GST_CLOCK_TYPE_MONOTONIC, nullptr);
  gst_pipeline_use_clock(GST_PIPELINE(pipeline_.get()), clock.get());

  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    // The error message on the bus says why (usually the file could not be opened); run() reports it.
    failed_ = true;
    return;
  }
  gst_element_get_state(pipeline_.get(), nullptr, nullptr, GST_SECOND);
  baseTime_ = gst_element_get_base_time(pipeline_.get());
}

GstPadProbeReturn ParticipantRecorder::onUpstreamEvent(GstPad* pad, GstPadProbeInfo* info, gpointer self) {
  GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
  const GstStructure* structure = event != nullptr ? gst_event_get_structure(event) : nullptr;
  if (structure != nullptr && gst_structure_has_name(structure, "GstForceKeyUnit")) {
    auto* recorder = static_cast<ParticipantRecorder*>(self);
    GstElementPtr src(gst_pad_get_parent_element(pad));
    for (size_t i = 0; i < recorder->sources_.size(); ++i) {
      if (recorder->sources_[i].get() == src.get() && recorder->listener_ != nullptr) {
        try {
          recorder->listener_->onKeyframeNeeded(i);
        } catch (const std::exception& e) {
          spdlog::warn("recorder: keyframe listener threw: {}", e.what());
        }
      }
    }
  }
  return GST_PAD_PROBE_OK;
}

void ParticipantRecorder::run() {
  if (failed_) {
    pollBus();
    if (!reported_) fail("the recording could not start");
  }
  std::unique_lock lock(mutex_);
  while (!stopRequested_) {
    lock.unlock();
    drain();
    pollBus();
    lock.lock();
    wake_.wait_for(lock, kDrainInterval, [this] { return stopRequested_; });
  }
  lock.unlock();
  drain();
  finish();
}

void ParticipantRecorder::drain() {
  while (const PacketQueue::Slot* slot = queue_.front()) {
    if (failed_) {
      droppedFailed_.fetch_add(1, std::memory_order_relaxed);
    } else {
      pushToPipeline(*slot);
    }
    queue_.release();
  }
}

void ParticipantRecorder::pushToPipeline(const PacketQueue::Slot& slot) {
  auto* src = GST_APP_SRC(sources_[slot.track].get());
  if (gst_app_src_get_current_level_bytes(src) > options_.maxPendingBytes) {
    droppedStalled_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  GstBuffer* buffer = gst_buffer_new_allocate(nullptr, slot.size, nullptr);
  gst_buffer_fill(buffer, 0, slot.data.data(), slot.size);
  // The jitter buffer takes DTS as the arrival time (running time) and derives PTS from the RTP
  // timestamps; packets queued before the pipeline started count as arriving at its start.
  const auto arrival = static_cast<GstClockTime>(slot.arrivalNs);
  GST_BUFFER_DTS(buffer) = arrival > baseTime_ ? arrival - baseTime_ : 0;
  if (gst_app_src_push_buffer(src, buffer) == GST_FLOW_OK) {
    packetsWritten_.fetch_add(1, std::memory_order_relaxed);
  } else {
    droppedFailed_.fetch_add(1, std::memory_order_relaxed);
  }
}

void ParticipantRecorder::pollBus() {
  while (GstMessagePtr message{gst_bus_pop_filtered(bus_.get(), GST_MESSAGE_ERROR)}) {
    fail(errorText(message.get()));
  }
  if (failed_ && pipeline_ != nullptr) {
    GstState state = GST_STATE_NULL;
    gst_element_get_state(pipeline_.get(), &state, nullptr, 0);
    if (state != GST_STATE_NULL) gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  }
}

void ParticipantRecorder::fail(std::string message) {
  failed_ = true;
  if (reported_) return;
  reported_ = true;
  spdlog::error("recorder: {}: {}", file_.string(), message);
  if (listener_ == nullptr) return;
  try {
    listener_->onRecordingFailed(file_, message);
  } catch (const std::exception& e) {
    spdlog::warn("recorder: failure listener threw: {}", e.what());
  }
}

void ParticipantRecorder::finish() {
  if (!failed_) {
    for (auto& src : sources_) gst_app_src_end_of_stream(GST_APP_SRC(src.get()));
    // The muxer rewrites the header (duration, segment size, cues) when EOS reaches it.
    GstMessagePtr message{gst_bus_timed_pop_filtered(
        bus_.get(), kStopTimeout, static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR))};
    if (message == nullptr) {
      fail("the recording did not finish within 5 s");
    } else if (GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_ERROR) {
      fail(errorText(message.get()));
    }
  }
  pollBus();
  gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
}

void ParticipantRecorder::stop() {
  {
    std::lock_guard lock(mutex_);
    stopRequested_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ParticipantRecorder::Stats ParticipantRecorder::stats() const {
  const auto queued = queue_.counters();
  Stats stats;
  stats.packetsQueued = queued.pushed;
  stats.droppedQueueFull = queued.droppedFull;
  stats.droppedOversize = queued.droppedOversize;
  stats.droppedStalled = droppedStalled_.load(std::memory_order_relaxed);
  stats.droppedFailed = droppedFailed_.load(std::memory_order_relaxed);
  stats.packetsWritten = packetsWritten_.load(std::memory_order_relaxed);
  stats.failed = failed_.load();
  return stats;
}

}  // namespace diemcau::media::recorder
