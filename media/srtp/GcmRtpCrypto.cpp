#include "media/srtp/GcmRtpCrypto.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <string>

#include "media/srtp/SrtpError.hpp"

namespace diemcau::media::gcm {

namespace {

constexpr uint8_t kLabelRtpEncryption = 0x00;  // RFC 3711 §4.3.2
constexpr uint8_t kLabelRtpSalt = 0x02;
constexpr uint8_t kLabelRtcpEncryption = 0x03;
constexpr uint8_t kLabelRtcpSalt = 0x05;

// RFC 3711 §4.3.3 AES-CM PRF, as RFC 7714 §11 keeps it for the AEAD profiles: the keystream of
// AES-128-CTR under the master key, with IV = (master salt, padded with zero bits to 112 bits,
// XOR label at octet 7, the label || r key id being right-aligned in those 112 bits with r = 0
// because the key derivation rate is 0) followed by a 16-bit block counter starting at zero.
void derive(const uint8_t* masterKey, const uint8_t* masterSalt, uint8_t label, uint8_t* out, std::size_t length) {
  std::array<uint8_t, 16> iv{};
  std::copy(masterSalt, masterSalt + kMasterSaltLength, iv.begin());
  iv[7] ^= label;
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::array<uint8_t, 32> zeros{};
  int written = 0;
  if (!ctx || length > zeros.size() ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, masterKey, iv.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out, &written, zeros.data(), static_cast<int>(length)) != 1 ||
      static_cast<std::size_t>(written) != length) {
    throw SrtpError("SRTP key derivation failed in OpenSSL", 0);
  }
}

}  // namespace

void SessionKeys::wipe() noexcept {
  std::fill(key.begin(), key.end(), 0);
  std::fill(salt.begin(), salt.end(), 0);
}

void deriveSessionKeys(std::span<const uint8_t> keySalt, SessionKeys& out, KeyUse use) {
  if (keySalt.size() != kMasterKeyLength + kMasterSaltLength) {
    throw SrtpError("AEAD_AES_128_GCM key||salt must be 28 bytes, got " + std::to_string(keySalt.size()), 0);
  }
  const uint8_t* masterKey = keySalt.data();
  const uint8_t* masterSalt = keySalt.data() + kMasterKeyLength;
  const bool rtcp = use == KeyUse::Rtcp;
  derive(masterKey, masterSalt, rtcp ? kLabelRtcpEncryption : kLabelRtpEncryption, out.key.data(), out.key.size());
  derive(masterKey, masterSalt, rtcp ? kLabelRtcpSalt : kLabelRtpSalt, out.salt.data(), out.salt.size());
}

std::size_t rtpHeaderLength(const uint8_t* data, std::size_t len) noexcept {
  if (data == nullptr || len < kFixedRtpHeader) return 0;
  // Never trusted to fit in the packet: CC and the extension length are checked against len
  // before the bytes they point at are read.
  std::size_t header = kFixedRtpHeader + 4 * static_cast<std::size_t>(data[0] & 0x0f);
  if (header > len) return 0;
  if ((data[0] & 0x10) != 0) {
    if (header + 4 > len) return 0;
    header += 4 + 4 * static_cast<std::size_t>(read16(data + header + 2));
    if (header > len) return 0;
  }
  return header;
}

std::array<uint8_t, kIvLength> rtpIv(const std::array<uint8_t, kMasterSaltLength>& salt, uint32_t ssrc, uint32_t roc,
                                     uint16_t seq) noexcept {
  std::array<uint8_t, kIvLength> iv{0,
                                    0,
                                    static_cast<uint8_t>(ssrc >> 24),
                                    static_cast<uint8_t>(ssrc >> 16),
                                    static_cast<uint8_t>(ssrc >> 8),
                                    static_cast<uint8_t>(ssrc),
                                    static_cast<uint8_t>(roc >> 24),
                                    static_cast<uint8_t>(roc >> 16),
                                    static_cast<uint8_t>(roc >> 8),
                                    static_cast<uint8_t>(roc),
                                    static_cast<uint8_t>(seq >> 8),
                                    static_cast<uint8_t>(seq)};
  for (std::size_t i = 0; i < kIvLength; ++i) iv[i] ^= salt[i];
  return iv;
}

std::array<uint8_t, kIvLength> rtcpIv(const std::array<uint8_t, kMasterSaltLength>& salt, uint32_t ssrc,
                                      uint32_t index) noexcept {
  std::array<uint8_t, kIvLength> iv{};
  write32(iv.data() + 2, ssrc);
  write32(iv.data() + 8, index & 0x7fffffffU);
  for (std::size_t i = 0; i < kIvLength; ++i) iv[i] ^= salt[i];
  return iv;
}

}  // namespace diemcau::media::gcm
