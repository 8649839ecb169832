#include "tools/bench/ProtectedRing.hpp"

#include <stdexcept>

#include "tools/bench/PacketFactory.hpp"

namespace diemcau::tools::bench {

ProtectedRing::ProtectedRing(media::SrtpProfile profile, size_t packetSize, size_t count)
    : profile_(profile), keySalt_(makeKeySalt(profile, 1)), stride_(packetSize + media::kSrtpMaxTrailer) {
  media::SrtpSession sender(profile, keySalt_, media::SrtpSession::Direction::Outbound);
  bytes_.resize(stride_ * count);
  lengths_.resize(count);
  for (size_t i = 0; i < count; ++i) {
    // 30 fps video: a frame of several packets shares one timestamp; the step does not matter here.
    const auto plain = makeRtpPacket(packetSize, static_cast<uint16_t>(i + 1), static_cast<uint32_t>(i / 4 * 3000),
                                     0x11111111);
    uint8_t* slot = &bytes_[i * stride_];
    std::copy(plain.begin(), plain.end(), slot);
    size_t len = plain.size();
    if (sender.protectRtp(slot, len, stride_) != media::SrtpResult::Ok) {
      throw std::runtime_error("cannot protect the benchmark packets");
    }
    lengths_[i] = len;
  }
}

media::SrtpSession ProtectedRing::makeInbound() const {
  return media::SrtpSession(profile_, keySalt_, media::SrtpSession::Direction::Inbound);
}

}  // namespace diemcau::tools::bench
