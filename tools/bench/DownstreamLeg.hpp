#pragma once
// The send half of forwarding one packet to one subscriber, as a downstream track does it: copy the
// decrypted packet into a scratch buffer, give it the subscriber's SSRC, a continuous sequence number
// and an offset timestamp, then SRTP-protect it with that subscriber's outbound key.
#include <array>
#include <cstddef>
#include <cstdint>

#include "media/rtp/RtpPacket.hpp"
#include "media/srtp/SrtpSession.hpp"

namespace diemcau::tools::bench {

class DownstreamLeg {
 public:
  static constexpr size_t kMaxPacket = 1500;

  /// `seed` picks the outbound key, SSRC and offsets, so each leg of a fan-out differs.
  DownstreamLeg(media::SrtpProfile profile, uint8_t seed);

  /// Rewrites and protects a copy of `packet`; returns the protected length, 0 on failure.
  /// The protected bytes stay in scratch() until the next call.
  size_t forward(const media::rtp::RtpPacket& packet) noexcept {
    const size_t len = packet.size();
    if (len > kMaxPacket) return 0;
    std::copy(packet.data(), packet.data() + len, scratch_.data());
    auto copy = media::rtp::RtpPacket::parse(scratch_.data(), len);
    if (!copy) return 0;
    copy->setSsrc(ssrc_);
    copy->setSequence(nextSequence_++);
    copy->setTimestamp(packet.timestamp() + timestampOffset_);
    size_t out = len;
    if (session_.protectRtp(scratch_.data(), out, scratch_.size()) != media::SrtpResult::Ok) return 0;
    return out;
  }
  const uint8_t* scratch() const { return scratch_.data(); }

 private:
  media::SrtpSession session_;
  uint32_t ssrc_;
  uint16_t nextSequence_;
  uint32_t timestampOffset_;
  std::array<uint8_t, kMaxPacket + media::kSrtpMaxTrailer> scratch_{};
};

}  // namespace diemcau::tools::bench
