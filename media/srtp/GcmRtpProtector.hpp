#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "media/rtp/CacheLines.hpp"
#include "media/srtp/GcmAead.hpp"
#include "media/srtp/GcmRtpCrypto.hpp"
#include "media/srtp/SrtpResult.hpp"

namespace diemcau::media {

/**
 * SRTP protection of outgoing RTP with AEAD_AES_128_GCM (RFC 7714) straight on OpenSSL's AES-GCM
 * (GcmAead).
 *
 * Why not libsrtp: Debian's libsrtp2 is built on NSS, whose PKCS#11 layer creates and destroys a
 * cipher context for every packet (about 10,000 instructions per 1200-byte packet, most of them
 * set-up, locks and allocation). Here the key schedule is made once and a packet costs one IV
 * change plus the AES-GCM pass (AES-NI and carry-less multiply). A forwarding bridge protects each
 * packet once per subscriber, so this is the per-subscriber cost of every forwarded packet.
 *
 * Only the sender side of SRTP (not SRTCP, not unprotect): inbound packets are decrypted once and
 * stay with libsrtp, whose replay protection the receiver needs. The output is byte for byte what
 * libsrtp produces for the same key, SSRC, ROC and sequence number (tests/media/srtp).
 *
 * Per SSRC the rollover counter is kept as RFC 3711 §3.3.1 describes for the sender: it advances
 * when the sequence number wraps; a retransmission of an older number reuses the ROC it had.
 * Never throws after construction and never allocates per packet (a new SSRC adds one entry).
 */
class GcmRtpProtector {
 public:
  static constexpr std::size_t kMasterKeyLength = 16;
  static constexpr std::size_t kMasterSaltLength = 12;  // RFC 7714 §12
  static constexpr std::size_t kTagLength = 16;         // AEAD_AES_128_GCM, RFC 7714 §14.2

  /// @param keySalt master key || master salt (28 bytes). @throws SrtpError on a wrong length or an
  /// OpenSSL failure (control plane).
  explicit GcmRtpProtector(std::span<const uint8_t> keySalt);
  ~GcmRtpProtector();
  GcmRtpProtector(const GcmRtpProtector&) = delete;
  GcmRtpProtector& operator=(const GcmRtpProtector&) = delete;

  /// Encrypts the payload of the RTP packet in data[0, len) in place and appends the tag; needs
  /// capacity >= len + kTagLength. Error for a packet whose header does not fit in it.
  SrtpResult protect(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept;

  /// Adds the lines protect() touches: this object, the stream table and the AEAD's handle (not
  /// the provider's context behind it, whose layout is OpenSSL's own).
  void addCacheLines(CacheLines& lines) const noexcept;

  /// The session salt derived from the master key (for the tests that check the key derivation).
  const std::array<uint8_t, kMasterSaltLength>& sessionSalt() const noexcept { return sessionSalt_; }

 private:
  struct Stream {
    uint32_t ssrc = 0;
    uint32_t roc = 0;
    uint16_t highestSeq = 0;
  };

  /// The packet's ROC, updating the stream's highest sequence number (RFC 3711 §3.3.1, Appendix A).
  uint32_t rolloverCounter(uint32_t ssrc, uint16_t seq) noexcept;

  std::unique_ptr<gcm::GcmAead> aead_;
  std::array<uint8_t, kMasterSaltLength> sessionSalt_{};
  std::vector<Stream> streams_;
  std::size_t lastStream_ = 0;
};

}  // namespace diemcau::media
