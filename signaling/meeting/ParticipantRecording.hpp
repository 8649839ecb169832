#pragma once
// One recording file of one participant: a media::recorder::ParticipantRecorder over the tracks the
// participant published, and the taps the room feeds it through.
//
// Built and stopped on the RecorderDesk thread only (both block); its taps are handed to the room's
// worker through RoomPort::attachRecorder. Its signals are called on the recorder's own threads.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bridge/room/RoomTypes.hpp"
#include "media/recorder/ParticipantRecorder.hpp"
#include "signaling/meeting/RoomPort.hpp"

namespace diemcau::signaling::meeting {

struct RecordingTarget {
  std::string meetingId;
  std::string participantId;
  std::filesystem::path file;
  std::vector<bridge::TrackInfo> tracks;  // recordable codecs only (opus, VP8, H264)
};

class ParticipantRecording final : private media::recorder::ParticipantRecorder::Listener {
 public:
  /// Called on a recorder thread; implementations post to the signaling thread.
  struct Signals {
    std::function<void(const std::string& message)> failed;
    std::function<void(const std::string& trackId)> keyframeNeeded;
  };
  struct Result {
    uint64_t packetsWritten = 0;
    uint64_t droppedPackets = 0;  // queue full, oversize, disk stalled, after a failure
    bool failed = false;
  };

  /// True if the codec can be written to Matroska without decoding.
  static bool recordable(const bridge::TrackInfo& track);

  /// Builds and starts the pipeline (blocks briefly). Throws media::recorder::RecorderError when
  /// the tracks cannot be described; a file that cannot be written is reported through `failed`.
  ParticipantRecording(RecordingTarget target, Signals signals);
  ~ParticipantRecording() override;
  ParticipantRecording(const ParticipantRecording&) = delete;
  ParticipantRecording& operator=(const ParticipantRecording&) = delete;

  const RecordingTarget& target() const { return target_; }
  /// One tap per track, valid as long as this object.
  const std::vector<RoomPort::RecorderTap>& taps() const { return taps_; }
  /// Finalises the file (blocks up to a few seconds). Idempotent.
  Result stop();

 private:
  void onRecordingFailed(const std::filesystem::path& file, std::string_view message) override;
  void onKeyframeNeeded(size_t track) override;

  RecordingTarget target_;
  Signals signals_;
  // Declared after the signals it calls, so it stops before they go.
  std::unique_ptr<media::recorder::ParticipantRecorder> recorder_;
  std::vector<RoomPort::RecorderTap> taps_;
};

}  // namespace diemcau::signaling::meeting
