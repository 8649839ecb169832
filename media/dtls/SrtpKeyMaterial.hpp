#pragma once

#include <cstdint>
#include <vector>

#include "media/srtp/SrtpProfile.hpp"

namespace diemcau::media {

/**
 * SRTP master keys agreed by DTLS-SRTP (RFC 5764 §4.2), each as key||salt, the form SrtpSession takes.
 * "local" is what we protect outgoing packets with; "remote" is what we unprotect incoming packets with.
 */
struct SrtpKeyMaterial {
  SrtpProfile profile = SrtpProfile::AeadAes128Gcm;
  std::vector<uint8_t> localKeySalt;
  std::vector<uint8_t> remoteKeySalt;
};

}  // namespace diemcau::media
