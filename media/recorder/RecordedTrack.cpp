#include "media/recorder/RecordedTrack.hpp"

#include <algorithm>
#include <cctype>

#include "media/recorder/RecorderError.hpp"

namespace diemcau::media::recorder {

namespace {

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

RecordedCodec recordedCodecFromName(std::string_view codecName) {
  if (sameName(codecName, "opus")) return RecordedCodec::Opus;
  if (sameName(codecName, "VP8")) return RecordedCodec::Vp8;
  if (sameName(codecName, "H264")) return RecordedCodec::H264;
  throw RecorderError("cannot record codec '" + std::string(codecName) + "'");
}

bool isVideo(RecordedCodec codec) { return codec != RecordedCodec::Opus; }

std::string rtpCapsFor(const RecordedTrack& track) {
  const bool video = isVideo(track.codec);
  const uint32_t clock = track.clockRate != 0 ? track.clockRate : (video ? 90000 : 48000);
  const char* name = track.codec == RecordedCodec::Opus ? "OPUS" : track.codec == RecordedCodec::Vp8 ? "VP8" : "H264";
  return std::string("application/x-rtp,media=") + (video ? "video" : "audio") + ",encoding-name=" + name +
         ",clock-rate=" + std::to_string(clock) + ",payload=" + std::to_string(track.payloadType);
}

std::string depayChainFor(RecordedCodec codec) {
  // The depayloaders drop what precedes the first keyframe (a file must start decodable) and ask
  // upstream for one; the request surfaces as Listener::onKeyframeNeeded.
  switch (codec) {
    case RecordedCodec::Opus:
      return "rtpopusdepay";
    case RecordedCodec::Vp8:
      return "rtpvp8depay wait-for-keyframe=true request-keyframe=true";
    case RecordedCodec::H264:
      // matroskamux takes AVC (length-prefixed) H.264 with codec data; h264parse converts.
      return "rtph264depay wait-for-keyframe=true request-keyframe=true ! h264parse config-interval=-1";
  }
  return "identity";
}

}  // namespace diemcau::media::recorder
