#pragma once
// What a recording needs to know about one published track, and the GStreamer chain that turns its
// RTP into a Matroska input without decoding.
#include <cstdint>
#include <string>
#include <string_view>

namespace diemcau::media::recorder {

enum class RecordedCodec { Opus, Vp8, H264 };

struct RecordedTrack {
  RecordedCodec codec = RecordedCodec::Opus;
  uint8_t payloadType = 0;
  uint32_t clockRate = 0;  // 0: the codec's RTP clock (48000 for Opus, 90000 for video)
};

/// "opus", "VP8", "H264" in any case, as negotiated in SDP; throws RecorderError for anything else.
RecordedCodec recordedCodecFromName(std::string_view codecName);
bool isVideo(RecordedCodec codec);
/// RTP caps for the track's appsrc ("application/x-rtp,media=video,encoding-name=VP8,...").
std::string rtpCapsFor(const RecordedTrack& track);
/// Depayloader (and parser) description, from the jitter buffer to the muxer.
std::string depayChainFor(RecordedCodec codec);

}  // namespace diemcau::media::recorder
