#include "media/srtp/GcmRtpProtector.hpp"

#include <openssl/evp.h>

#include <algorithm>

#include "media/srtp/SrtpError.hpp"

namespace diemcau::media {

namespace {

constexpr std::size_t kFixedHeader = 12;  // RFC 3550 §5.1
constexpr std::size_t kIvLength = 12;     // RFC 7714 §8.1
constexpr uint8_t kLabelRtpEncryption = 0x00;  // RFC 3711 §4.3.2
constexpr uint8_t kLabelRtpSalt = 0x02;

// RFC 3711 §4.3.3 AES-CM PRF, as RFC 7714 §11 keeps it for the AEAD profiles: the keystream of
// AES-128-CTR under the master key, with IV = (master salt, padded with zero bits to 112 bits,
// XOR label at octet 7, the label || r key id being right-aligned in those 112 bits with r = 0
// because the key derivation rate is 0) followed by a 16-bit block counter starting at zero.
void deriveSessionKey(const uint8_t* masterKey, const uint8_t* masterSalt, uint8_t label, uint8_t* out,
                      std::size_t length) {
  std::array<uint8_t, 16> iv{};
  std::copy(masterSalt, masterSalt + GcmRtpProtector::kMasterSaltLength, iv.begin());
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

uint16_t read16(const uint8_t* p) noexcept { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t read32(const uint8_t* p) noexcept {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

}  // namespace

void GcmRtpProtector::CtxDeleter::operator()(evp_cipher_ctx_st* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }

GcmRtpProtector::GcmRtpProtector(std::span<const uint8_t> keySalt) {
  if (keySalt.size() != kMasterKeyLength + kMasterSaltLength) {
    throw SrtpError("AEAD_AES_128_GCM key||salt must be 28 bytes, got " + std::to_string(keySalt.size()), 0);
  }
  const uint8_t* masterKey = keySalt.data();
  const uint8_t* masterSalt = keySalt.data() + kMasterKeyLength;
  std::array<uint8_t, kMasterKeyLength> sessionKey{};
  deriveSessionKey(masterKey, masterSalt, kLabelRtpEncryption, sessionKey.data(), sessionKey.size());
  deriveSessionKey(masterKey, masterSalt, kLabelRtpSalt, sessionSalt_.data(), sessionSalt_.size());

  // The key schedule is expanded once here; every packet then only sets its IV.
  ctx_.reset(EVP_CIPHER_CTX_new());
  if (!ctx_ || EVP_EncryptInit_ex(ctx_.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kIvLength), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx_.get(), nullptr, nullptr, sessionKey.data(), nullptr) != 1) {
    std::fill(sessionKey.begin(), sessionKey.end(), 0);
    throw SrtpError("AES-128-GCM set-up failed in OpenSSL", 0);
  }
  std::fill(sessionKey.begin(), sessionKey.end(), 0);
  streams_.reserve(8);
}

GcmRtpProtector::~GcmRtpProtector() = default;

uint32_t GcmRtpProtector::rolloverCounter(uint32_t ssrc, uint16_t seq) noexcept {
  if (lastStream_ >= streams_.size() || streams_[lastStream_].ssrc != ssrc) {
    const auto found = std::find_if(streams_.begin(), streams_.end(), [ssrc](const Stream& s) { return s.ssrc == ssrc; });
    if (found == streams_.end()) {
      // The first packet of a stream starts its ROC at 0 (RFC 3711 §3.3.1).
      try {
        streams_.push_back({ssrc, 0, seq});
      } catch (...) {
        return 0;  // out of memory: protect with ROC 0 rather than throw on the data plane
      }
      lastStream_ = streams_.size() - 1;
      return 0;
    }
    lastStream_ = static_cast<std::size_t>(found - streams_.begin());
  }
  Stream& stream = streams_[lastStream_];
  // RFC 3711 Appendix A: guess the ROC that puts seq closest to the highest number sent so far.
  // Until the index passes 2^15 the ROC stays 0 (it cannot go back before the first packet), as
  // libsrtp decides it, so both sides agree on every packet a receiver can have seen.
  const uint16_t highest = stream.highestSeq;
  uint32_t roc = stream.roc;
  if (stream.roc == 0 && highest <= 0x8000) {
    roc = 0;
  } else if (highest < 0x8000) {
    if (seq > highest && seq - highest > 0x8000) roc = stream.roc - 1;  // an old number from before a wrap
  } else if (seq < highest - 0x8000) {
    roc = stream.roc + 1;  // wrapped
  }
  if (roc == stream.roc + 1 || (roc == stream.roc && seq > highest)) {
    stream.roc = roc;
    stream.highestSeq = seq;
  }
  return roc;
}

SrtpResult GcmRtpProtector::protect(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept {
  if (data == nullptr || len < kFixedHeader || len > 65535) return SrtpResult::Error;
  if (capacity < len || capacity - len < kTagLength) return SrtpResult::BufferTooSmall;
  // The authenticated header (RFC 7714 §8.2): fixed part, CSRCs and the extension block; never
  // trusted to fit in the packet.
  std::size_t header = kFixedHeader + 4 * static_cast<std::size_t>(data[0] & 0x0f);
  if (header > len) return SrtpResult::Error;
  if ((data[0] & 0x10) != 0) {
    if (header + 4 > len) return SrtpResult::Error;
    header += 4 + 4 * static_cast<std::size_t>(read16(data + header + 2));
    if (header > len) return SrtpResult::Error;
  }
  const uint16_t seq = read16(data + 2);
  const uint32_t ssrc = read32(data + 8);
  const uint32_t roc = rolloverCounter(ssrc, seq);

  // RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR session salt.
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
  for (std::size_t i = 0; i < kIvLength; ++i) iv[i] ^= sessionSalt_[i];

  EVP_CIPHER_CTX* ctx = ctx_.get();
  int written = 0;
  int finalWritten = 0;
  const int payload = static_cast<int>(len - header);
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv.data()) != 1 ||
      EVP_EncryptUpdate(ctx, nullptr, &written, data, static_cast<int>(header)) != 1 ||
      (payload > 0 && EVP_EncryptUpdate(ctx, data + header, &written, data + header, payload) != 1) ||
      EVP_EncryptFinal_ex(ctx, data + len, &finalWritten) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagLength), data + len) != 1) {
    return SrtpResult::Error;
  }
  len += kTagLength;
  return SrtpResult::Ok;
}

}  // namespace diemcau::media
