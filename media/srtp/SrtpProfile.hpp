#pragma once

#include <cstddef>
#include <string_view>

namespace diemcau::media {

/**
 * SRTP protection profiles the bridge negotiates through DTLS use_srtp (RFC 5764 §4.1.2, RFC 7714 §14.2).
 * AEAD_AES_128_GCM is preferred: with Debian's libsrtp2 (NSS crypto) it costs far less CPU per packet than
 * AES-CM + HMAC-SHA1; AES128_CM_SHA1_80 stays as the fallback every WebRTC endpoint implements.
 */
enum class SrtpProfile {
  AeadAes128Gcm,
  Aes128CmSha1_80,
};

/** Master key length in bytes (RFC 5764 §4.1.2, RFC 7714 §12). */
constexpr std::size_t srtpMasterKeyLength(SrtpProfile /*profile*/) noexcept { return 16; }

/** Master salt length in bytes: 96 bits for AEAD (RFC 7714 §12), 112 bits for AES-CM (RFC 3711 §8.2). */
constexpr std::size_t srtpMasterSaltLength(SrtpProfile profile) noexcept {
  return profile == SrtpProfile::AeadAes128Gcm ? 12 : 14;
}

/** Length of key||salt, the form libsrtp takes. */
constexpr std::size_t srtpMasterKeySaltLength(SrtpProfile profile) noexcept {
  return srtpMasterKeyLength(profile) + srtpMasterSaltLength(profile);
}

/** The profile name as written in the use_srtp extension and in OpenSSL's profile list. */
constexpr std::string_view srtpProfileName(SrtpProfile profile) noexcept {
  return profile == SrtpProfile::AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
}

}  // namespace diemcau::media
