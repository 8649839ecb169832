#pragma once
// One participant's recording: its tracks written together into one Matroska file, live, without
// decoding.
//
//   worker ─onRtp()─► PacketQueue ─► drain thread ─┬─► appsrc ─► rtpjitterbuffer ─► depay(+parse) ─┐
//   (copy, never blocks)             (every 5 ms)  └─► appsrc ─► rtpjitterbuffer ─► depay(+parse) ─┴─► matroskamux ─► filesink
//
// Crash safety: the muxer closes a cluster at least every second and the file sink writes without a
// user-space buffer, so after a kill -9 or a power cut the file holds everything up to the last
// cluster and plays (the Matroska segment size is "unknown" until a clean stop rewrites it).
// Timestamps come from the RTP timestamps (through the jitter buffer), so silence, Opus DTX and a
// chair mute are gaps in the timeline, not shifts. A rejoin is a new recorder and a new file.
//
// Failures (unwritable folder, disk full, a pipeline error) never reach the worker: the recorder
// reports once through its listener, keeps what was written, and drops (and counts) what follows.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "media/recorder/GstHandles.hpp"
#include "media/recorder/PacketQueue.hpp"
#include "media/recorder/RecordedTrack.hpp"
#include "media/recorder/RtpSink.hpp"

namespace diemcau::media::recorder {

class ParticipantRecorder {
 public:
  /// Called on the recorder's own threads (its drain thread or a GStreamer streaming thread), never
  /// on the worker; implementations post to where they need to act. No re-entry into the recorder.
  class Listener {
   public:
    virtual ~Listener() = default;
    /// The recording failed; at most once per recorder. What was written so far stays playable.
    virtual void onRecordingFailed(const std::filesystem::path& file, std::string_view message) = 0;
    /// A video track's depayloader waits for a keyframe (start, or loss): ask the publisher.
    virtual void onKeyframeNeeded(size_t track) = 0;
  };

  struct Options {
    size_t queueSlots = 1024;          // ~1.5 MB; several seconds of a 2 Mbit/s participant
    uint32_t jitterLatencyMs = 500;    // recording is not interactive: wait longer for reordering
    uint64_t maxPendingBytes = 4 << 20;  // per track inside GStreamer when the disk stalls
  };

  struct Stats {
    uint64_t packetsQueued = 0;
    uint64_t droppedQueueFull = 0;
    uint64_t droppedOversize = 0;
    uint64_t droppedStalled = 0;  // the pipeline (disk) fell behind by more than maxPendingBytes
    uint64_t droppedFailed = 0;   // arrived after a failure
    uint64_t packetsWritten = 0;  // handed to the pipeline
    bool failed = false;
  };

  /// Builds and starts the pipeline. Throws RecorderError only for an impossible description (no
  /// tracks, more than 8); a file that cannot be opened is a failure reported to `listener`.
  ParticipantRecorder(std::filesystem::path file, std::vector<RecordedTrack> tracks, Listener* listener,
                      Options options);
  ParticipantRecorder(std::filesystem::path file, std::vector<RecordedTrack> tracks, Listener* listener)
      : ParticipantRecorder(std::move(file), std::move(tracks), listener, Options{}) {}
  /// stop().
  ~ParticipantRecorder();
  ParticipantRecorder(const ParticipantRecorder&) = delete;
  ParticipantRecorder& operator=(const ParticipantRecorder&) = delete;

  /// The sink for track `index` (the order given to the constructor); lives as long as the recorder.
  /// Feed it from one thread only (the room's worker).
  RtpSink& sink(size_t index);

  /// Writes what is queued, ends every stream and finalises the file (duration, cues). Blocks up
  /// to a few seconds; call it from a control thread, never a media worker. Idempotent.
  void stop();

  const std::filesystem::path& file() const { return file_; }
  size_t trackCount() const { return taps_.size(); }
  Stats stats() const;

 private:
  class Tap final : public RtpSink {
   public:
    Tap(PacketQueue& queue, uint8_t index) : queue_(queue), index_(index) {}
    void onRtp(std::span<const uint8_t> packet) noexcept override;

   private:
    PacketQueue& queue_;
    uint8_t index_;
  };

  void buildPipeline();
  void run();
  void drain();
  void pushToPipeline(const PacketQueue::Slot& slot);
  void pollBus();
  void finish();
  void fail(std::string message);
  static GstPadProbeReturn onUpstreamEvent(GstPad* pad, GstPadProbeInfo* info, gpointer self);

  std::filesystem::path file_;
  std::vector<RecordedTrack> tracks_;
  Listener* listener_;
  Options options_;
  PacketQueue queue_;
  std::vector<std::unique_ptr<Tap>> taps_;

  GstElementPtr pipeline_;
  std::vector<GstElementPtr> sources_;  // appsrc per track
  GstBusPtr bus_;
  GstClockTime baseTime_ = 0;

  std::atomic<bool> failed_{false};
  bool reported_ = false;  // drain thread only
  std::atomic<uint64_t> droppedStalled_{0};
  std::atomic<uint64_t> droppedFailed_{0};
  std::atomic<uint64_t> packetsWritten_{0};

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopRequested_ = false;
  std::thread thread_;
};

}  // namespace diemcau::media::recorder
