#include "signaling/meeting/ParticipantRecording.hpp"

#include "media/recorder/RecorderError.hpp"

namespace diemcau::signaling::meeting {

namespace recorder = media::recorder;

bool ParticipantRecording::recordable(const bridge::TrackInfo& track) {
  try {
    recorder::recordedCodecFromName(track.codec);
    return true;
  } catch (const recorder::RecorderError&) {
    return false;
  }
}

ParticipantRecording::ParticipantRecording(RecordingTarget target, Signals signals)
    : target_(std::move(target)), signals_(std::move(signals)) {
  std::vector<recorder::RecordedTrack> tracks;
  for (const bridge::TrackInfo& track : target_.tracks) {
    tracks.push_back({recorder::recordedCodecFromName(track.codec), track.payloadType, track.clockRate});
  }
  recorder::ParticipantRecorder::Listener* listener = this;
  recorder_ = std::make_unique<recorder::ParticipantRecorder>(target_.file, std::move(tracks), listener);
  for (size_t i = 0; i < target_.tracks.size(); ++i)
    taps_.push_back({target_.tracks[i].id, &recorder_->sink(i)});
}

ParticipantRecording::~ParticipantRecording() {
  stop();
}

ParticipantRecording::Result ParticipantRecording::stop() {
  if (!recorder_) return {};
  recorder_->stop();
  const auto stats = recorder_->stats();
  Result result;
  result.packetsWritten = stats.packetsWritten;
  result.droppedPackets =
      stats.droppedQueueFull + stats.droppedOversize + stats.droppedStalled + stats.droppedFailed;
  result.failed = stats.failed;
  return result;
}

void ParticipantRecording::onRecordingFailed(const std::filesystem::path& /*file*/,
                                             std::string_view message) {
  if (signals_.failed) signals_.failed(std::string(message));
}

void ParticipantRecording::onKeyframeNeeded(size_t track) {
  if (track < target_.tracks.size() && signals_.keyframeNeeded)
    signals_.keyframeNeeded(target_.tracks[track].id);
}

}  // namespace diemcau::signaling::meeting
