#include "bridge/room/BridgeCodecs.hpp"

#include <array>
#include <string>

#include "media/sdp/SdpText.hpp"

namespace diemcau::bridge {

namespace {

constexpr std::array kCodecs = {
    BridgeCodec{TrackKind::Audio, "opus", kOpusPayloadType, std::nullopt, 48000, 2, "minptime=10;useinbandfec=1"},
    BridgeCodec{TrackKind::Video, "VP8", kVp8PayloadType, kVp8RtxPayloadType, 90000, 0, ""},
    // Constrained Baseline 3.1: every publisher the bridge accepts sends a subset of it
    // (MediaCapabilities refuses other profiles), and every receiver decodes it.
    BridgeCodec{TrackKind::Video, "H264", kH264PayloadType, kH264RtxPayloadType, 90000, 0,
                "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"},
};

}  // namespace

std::optional<BridgeCodec> bridgeCodec(std::string_view codecName) {
  for (const auto& codec : kCodecs) {
    if (media::sdp::text::equalsIgnoreCase(codec.name, codecName)) return codec;
  }
  return std::nullopt;
}

media::sdp::RtpCodec toRtpCodec(const BridgeCodec& codec) {
  media::sdp::RtpCodec rtp;
  rtp.payloadType = codec.payloadType;
  rtp.name = std::string(codec.name);
  rtp.clockRate = codec.clockRate;
  rtp.channels = codec.channels;
  rtp.fmtp = std::string(codec.fmtp);
  // goog-remb: a browser receiver then reports its delay-based estimate, the downlink's ceiling
  // once loss confirms it (bridge/bwe/BandwidthEstimator).
  if (codec.kind == TrackKind::Video) rtp.rtcpFb = {"nack", "nack pli", "ccm fir", "goog-remb"};
  rtp.rtxPayloadType = codec.rtxPayloadType;
  return rtp;
}

}  // namespace diemcau::bridge
