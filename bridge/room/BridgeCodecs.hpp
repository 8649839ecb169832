#pragma once
// The payload types the bridge uses on every subscriber connection. They are fixed, whatever the
// publishers chose, so one BUNDLE group never maps a payload type to two codecs (RFC 8843 section
// 9.1) when several publishers' tracks share a subscriber connection.
#include <cstdint>
#include <optional>
#include <string_view>

#include "bridge/room/RoomTypes.hpp"
#include "media/sdp/SessionDescription.hpp"

namespace diemcau::bridge {

struct BridgeCodec {
  TrackKind kind = TrackKind::Audio;
  std::string_view name;  // as written in rtpmap
  uint8_t payloadType = 0;
  std::optional<uint8_t> rtxPayloadType;
  uint32_t clockRate = 0;
  uint8_t channels = 0;
  std::string_view fmtp;
};

inline constexpr uint8_t kOpusPayloadType = 111;
inline constexpr uint8_t kVp8PayloadType = 96;
inline constexpr uint8_t kVp8RtxPayloadType = 97;
inline constexpr uint8_t kH264PayloadType = 102;
inline constexpr uint8_t kH264RtxPayloadType = 103;

/// The bridge codec for a forwarded codec name ("opus", "VP8", "H264"; case-insensitive).
std::optional<BridgeCodec> bridgeCodec(std::string_view codecName);

/// The codec as an SDP payload type, with the feedback the bridge acts on as a sender.
media::sdp::RtpCodec toRtpCodec(const BridgeCodec& codec);

}  // namespace diemcau::bridge
