#include "media/sdp/MediaCapabilities.hpp"

#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/SdpText.hpp"

namespace diemcau::media::sdp {

namespace {

std::optional<uint8_t> hexByte(std::string_view two) {
  uint8_t value = 0;
  for (char c : two) {
    value = static_cast<uint8_t>(value << 4);
    if (c >= '0' && c <= '9') {
      value = static_cast<uint8_t>(value | (c - '0'));
    } else if (c >= 'a' && c <= 'f') {
      value = static_cast<uint8_t>(value | (c - 'a' + 10));
    } else if (c >= 'A' && c <= 'F') {
      value = static_cast<uint8_t>(value | (c - 'A' + 10));
    } else {
      return std::nullopt;
    }
  }
  return value;
}

}  // namespace

bool isForwardableH264(const RtpCodec& codec) {
  const auto params = codec.fmtpParams();
  // Mode 0 (single NAL unit) cannot carry what browsers send at 720p; RFC 6184 section 8.1 makes
  // a missing packetization-mode mean 0.
  const auto mode = params.find("packetization-mode");
  if (mode == params.end() || mode->second != "1") return false;
  const auto plid = params.find("profile-level-id");
  // Without profile-level-id the default is 420010: Baseline, level 1 (RFC 6184 section 8.1).
  if (plid == params.end()) return true;
  if (plid->second.size() != 6) return false;
  const auto profileIdc = hexByte(std::string_view(plid->second).substr(0, 2));
  const auto profileIop = hexByte(std::string_view(plid->second).substr(2, 2));
  if (!profileIdc || !profileIop || !hexByte(std::string_view(plid->second).substr(4, 2))) return false;
  // Constrained Baseline per RFC 6184 table 5: 42 with constraint_set1, 4D with constraint_set0,
  // 58 with constraint_set0+1; plain Baseline is 42 with neither set2 nor set3 forcing another profile.
  switch (*profileIdc) {
    case 0x42: return (*profileIop & 0x0F) == 0;
    case 0x4D: return (*profileIop & 0x8F) == 0x80;
    case 0x58: return (*profileIop & 0xCF) == 0xC0;
    default: return false;
  }
}

MediaCapabilities MediaCapabilities::defaults() {
  const std::vector<std::string> videoFeedback = {"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"};
  MediaCapabilities caps;
  caps.codecs = {
      {MediaKind::Audio, "opus", 48000, 2, "minptime=10;useinbandfec=1", {"transport-cc"}, false},
      {MediaKind::Video, "VP8", 90000, 0, "", videoFeedback, true},
      {MediaKind::Video, "H264", 90000, 0, "", videoFeedback, true},
  };
  for (auto extension : {uri::kMid, uri::kAudioLevel, uri::kAbsSendTime, uri::kTransportWideCc}) {
    caps.extensions.push_back({MediaKind::Audio, std::string(extension)});
  }
  for (auto extension : {uri::kMid, uri::kRid, uri::kRepairedRid, uri::kAbsSendTime, uri::kTransportWideCc}) {
    caps.extensions.push_back({MediaKind::Video, std::string(extension)});
  }
  return caps;
}

const CodecCapability* MediaCapabilities::match(MediaKind kind, const RtpCodec& offered) const {
  for (const auto& codec : codecs) {
    if (codec.kind != kind || !text::equalsIgnoreCase(codec.name, offered.name)) continue;
    if (codec.clockRate != offered.clockRate) continue;
    // An audio rtpmap without channels means one (RFC 8866 section 6.6).
    const uint8_t channels = offered.channels == 0 && kind == MediaKind::Audio ? 1 : offered.channels;
    if (codec.channels != 0 && codec.channels != channels) continue;
    if (text::equalsIgnoreCase(codec.name, "H264") && !isForwardableH264(offered)) continue;
    return &codec;
  }
  return nullptr;
}

bool MediaCapabilities::supportsExtension(MediaKind kind, std::string_view uri) const {
  for (const auto& extension : extensions) {
    if (extension.kind == kind && extension.uri == uri) return true;
  }
  return false;
}

}  // namespace diemcau::media::sdp
