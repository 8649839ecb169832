#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// A codec the bridge can forward.
struct CodecCapability {
  MediaKind kind = MediaKind::Audio;
  std::string name;  // matched case-insensitively
  uint32_t clockRate = 0;
  uint8_t channels = 0;  // 0: any
  std::string fmtp;      // fmtp the bridge writes for it; empty: echo the offerer's
  std::vector<std::string> rtcpFb;
  bool rtx = false;
};

struct ExtensionCapability {
  MediaKind kind = MediaKind::Audio;
  std::string uri;
};

/// What the bridge accepts in an offer, in no particular order: the offerer's order decides.
struct MediaCapabilities {
  std::vector<CodecCapability> codecs;
  std::vector<ExtensionCapability> extensions;

  /// Opus, VP8, H.264 constrained baseline/baseline in packetization-mode 1, RTX for video,
  /// nack/pli/fir/remb/transport-cc, and the header extensions the router reads.
  static MediaCapabilities defaults();

  /// The capability `offered` satisfies for a section of `kind`, or nullptr.
  const CodecCapability* match(MediaKind kind, const RtpCodec& offered) const;
  bool supportsExtension(MediaKind kind, std::string_view uri) const;
};

/// True for an H.264 fmtp the bridge forwards: packetization-mode=1 and a profile-level-id of the
/// Baseline or Constrained Baseline profile (RFC 6184 section 8.1; profile_idc plus profile-iop bits).
bool isForwardableH264(const RtpCodec& codec);

}  // namespace diemcau::media::sdp
