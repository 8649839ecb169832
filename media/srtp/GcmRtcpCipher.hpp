#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "media/srtp/GcmAead.hpp"
#include "media/srtp/GcmRtpCrypto.hpp"
#include "media/srtp/SrtpResult.hpp"

namespace diemcau::media {

/**
 * SRTCP with AEAD_AES_128_GCM (RFC 7714 §9, §17) straight on OpenSSL's EVP, both directions, for
 * the reason GcmRtpProtector gives: Debian's libsrtp2 on NSS sets up and frees a cipher context
 * per packet, and a bridge protects a sender report per forwarded track and subscriber every
 * report interval, and verifies each subscriber's receiver reports and feedback.
 *
 * The packet: the first 8 octets (header and sender SSRC) in the clear, the rest encrypted, then
 * the 16-octet tag and the word E || SRTCP index (31 bits). The associated data are those 8
 * octets and that word; with E = 0 (authentication only) the whole packet before the tag. The
 * SRTCP keys are derived with labels 3 and 5 (RFC 3711 §4.3.2). What these classes send and accept
 * is what libsrtp2 sends and accepts for the same keys (tests/media/srtp).
 */
class GcmRtcpProtector {
 public:
  static constexpr std::size_t kTrailerLength = gcm::kTagLength + 4;

  /// @param keySalt master key || master salt (28 bytes). @throws SrtpError (control plane).
  explicit GcmRtcpProtector(std::span<const uint8_t> keySalt);
  ~GcmRtcpProtector();
  GcmRtcpProtector(const GcmRtcpProtector&) = delete;
  GcmRtcpProtector& operator=(const GcmRtcpProtector&) = delete;

  /// Encrypts the compound RTCP packet in data[0, len) in place and appends the tag and the
  /// E || index word; needs capacity >= len + kTrailerLength. Each sender SSRC counts its own
  /// index from 1, as libsrtp does; Error once it would pass 2^31 - 1 (the keys must change).
  SrtpResult protect(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept;

 private:
  struct Stream {
    uint32_t ssrc = 0;
    uint32_t index = 0;  // the last one sent
  };

  std::unique_ptr<gcm::GcmAead> aead_;
  std::array<uint8_t, gcm::kMasterSaltLength> salt_{};
  std::vector<Stream> streams_;
};

/**
 * Verification and decryption of incoming SRTCP with AEAD_AES_128_GCM; see GcmRtcpProtector.
 *
 * Per sender SSRC a replay window of the kWindow indices at and below the highest accepted (as
 * libsrtp's 128-packet SRTCP window): an index below it is ReplayOld, one seen inside it
 * ReplayFail. A new SSRC is admitted only once a packet of it authenticated, into a table of
 * kMaxStreams entries reserved at construction; when it is full the least recently used entry is
 * taken (that sender, if it comes back, starts a fresh window). An authentication failure changes
 * no state. Never throws after construction, never allocates.
 */
class GcmRtcpUnprotector {
 public:
  static constexpr std::size_t kMaxStreams = 64;
  static constexpr uint32_t kWindow = 128;

  explicit GcmRtcpUnprotector(std::span<const uint8_t> keySalt);
  ~GcmRtcpUnprotector();
  GcmRtcpUnprotector(const GcmRtcpUnprotector&) = delete;
  GcmRtcpUnprotector& operator=(const GcmRtcpUnprotector&) = delete;

  /// Verifies (and with E = 1 decrypts) the SRTCP packet in data[0, len) in place; on Ok, len
  /// loses the tag and the index word. Reads nothing at or past data + len.
  SrtpResult unprotect(uint8_t* data, std::size_t& len) noexcept;

  std::size_t streamCount() const noexcept { return streams_.size(); }

 private:
  struct Stream {
    uint32_t ssrc = 0;
    uint32_t highest = 0;       // highest index accepted
    uint64_t lastUse = 0;
    std::array<uint64_t, 2> seen{};  // bit k (word k / 64): highest - k was accepted
  };
  static SrtpResult check(const Stream& stream, uint32_t index) noexcept;
  static void accept(Stream& stream, uint32_t index) noexcept;
  Stream& admit(uint32_t ssrc) noexcept;

  std::unique_ptr<gcm::GcmAead> aead_;
  std::array<uint8_t, gcm::kMasterSaltLength> salt_{};
  std::vector<Stream> streams_;
  uint64_t clock_ = 0;
};

}  // namespace diemcau::media
