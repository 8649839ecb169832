#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/srtp/GcmAead.hpp"

namespace diemcau::media::gcm {

// The AEAD_AES_128_GCM pieces that SRTP protection and unprotection share (RFC 7714).

inline constexpr std::size_t kMasterKeyLength = 16;
inline constexpr std::size_t kMasterSaltLength = 12;            // RFC 7714 §12
inline constexpr std::size_t kTagLength = GcmAead::kTagLength;  // AEAD_AES_128_GCM, RFC 7714 §14.2
inline constexpr std::size_t kIvLength = GcmAead::kIvLength;    // RFC 7714 §8.1
inline constexpr std::size_t kFixedRtpHeader = 12;              // RFC 3550 §5.1

/// The SRTP session key and session salt derived from master key || master salt.
struct SessionKeys {
  std::array<uint8_t, GcmAead::kKeyLength> key{};  // the session key: AES-128's
  std::array<uint8_t, kMasterSaltLength> salt{};
  ~SessionKeys() { wipe(); }
  void wipe() noexcept;
};

/// Which keys of a session: SRTP's (labels 0 and 2) or SRTCP's (labels 3 and 5), RFC 3711 §4.3.2.
enum class KeyUse { Rtp, Rtcp };

/// RFC 3711 §4.3 key derivation (kept by RFC 7714 §11).
/// @throws SrtpError on a wrong length or an OpenSSL failure (control plane).
void deriveSessionKeys(std::span<const uint8_t> keySalt, SessionKeys& out, KeyUse use = KeyUse::Rtp);

/// Length of the authenticated RTP header (fixed part, CSRCs, extension block; RFC 7714 §8.2), or 0
/// when what the header claims does not fit in len bytes. Reads nothing at or past data + len.
std::size_t rtpHeaderLength(const uint8_t* data, std::size_t len) noexcept;

/// RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR session salt.
std::array<uint8_t, kIvLength> rtpIv(const std::array<uint8_t, kMasterSaltLength>& salt, uint32_t ssrc, uint32_t roc,
                                     uint16_t seq) noexcept;

/// RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR session salt.
std::array<uint8_t, kIvLength> rtcpIv(const std::array<uint8_t, kMasterSaltLength>& salt, uint32_t ssrc,
                                      uint32_t index) noexcept;

inline void write32(uint8_t* p, uint32_t value) noexcept {
  p[0] = static_cast<uint8_t>(value >> 24);
  p[1] = static_cast<uint8_t>(value >> 16);
  p[2] = static_cast<uint8_t>(value >> 8);
  p[3] = static_cast<uint8_t>(value);
}
inline uint16_t read16(const uint8_t* p) noexcept { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t read32(const uint8_t* p) noexcept {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

}  // namespace diemcau::media::gcm
