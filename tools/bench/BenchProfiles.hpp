#pragma once
// Shared settings of the packet benchmarks.
#include <cstddef>

#include "media/srtp/SrtpProfile.hpp"

namespace diemcau::tools::bench {

/// Protected packets prepared per ring: 1024 × 1.2 kB stays within a last-level cache slice, like a
/// datagram the kernel has just copied out, and the untimed session renewal happens once per 1024.
inline constexpr size_t kRingPackets = 1024;

inline constexpr media::SrtpProfile kGcm = media::SrtpProfile::AeadAes128Gcm;
inline constexpr media::SrtpProfile kSha1 = media::SrtpProfile::Aes128CmSha1_80;

}  // namespace diemcau::tools::bench
