#include "tools/bench/DownstreamLeg.hpp"

#include "tools/bench/PacketFactory.hpp"

namespace diemcau::tools::bench {

DownstreamLeg::DownstreamLeg(media::SrtpProfile profile, uint8_t seed)
    : session_(profile, makeKeySalt(profile, static_cast<uint8_t>(seed + 100)), media::SrtpSession::Direction::Outbound),
      ssrc_(0xD0000000u + seed),
      nextSequence_(static_cast<uint16_t>(seed * 1000)),
      timestampOffset_(0x01000000u * seed) {}

}  // namespace diemcau::tools::bench
