#pragma once

#include <string_view>

// RTP header extension URIs exactly as Chrome, Firefox and webrtcbin write them in a=extmap.
namespace diemcau::media::sdp::uri {

inline constexpr std::string_view kMid = "urn:ietf:params:rtp-hdrext:sdes:mid";                 // RFC 8843 section 15.1
inline constexpr std::string_view kRid = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";       // RFC 8852 section 3.1
inline constexpr std::string_view kRepairedRid = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
inline constexpr std::string_view kAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";   // RFC 6464
inline constexpr std::string_view kAbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kTransportWideCc =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

}  // namespace diemcau::media::sdp::uri
