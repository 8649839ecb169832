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
#include "media/srtp/RtpReplayState.hpp"
#include "media/srtp/SrtpResult.hpp"

namespace diemcau::media {

/**
 * Verification and decryption of incoming SRTP with AEAD_AES_128_GCM (RFC 7714) straight on
 * OpenSSL's AES-GCM (GcmAead): the receiving counterpart of GcmRtpProtector, for the same reason (Debian's
 * libsrtp2 on NSS sets up, locks and frees a cipher context for every packet).
 *
 * Accepts and rejects what libsrtp2 does with an `ssrc_any_inbound` policy and a replay window
 * of RtpReplayState::kWindow packets (tests/media/srtp compare the two on the same inputs):
 *  - a new SSRC starts from a fresh state (ROC 0) and is admitted only once a packet of it has
 *    authenticated, so forged packets cannot fill the table;
 *  - per SSRC, the ROC estimate (RFC 3711 §3.3.1, Appendix A) and the replay window (§3.3.2);
 *  - an authentication failure changes no state (the payload bytes are then undefined: they
 *    were decrypted in place before the tag was checked, and the packet is to be dropped).
 *
 * The SSRC table holds kMaxStreams entries (reserved at construction); when it is full, a new SSRC
 * takes the entry of the least recently used one. That stream, if it ever comes back, starts
 * again from a fresh state, which libsrtp (whose list grows without bound) would not do: its
 * old packets could be accepted again, and after a wrap its ROC would be guessed as 0. A
 * publisher's transport carries a few SSRCs (audio, simulcast layers, RTX); a subscriber's has one
 * per forwarded track, of which only the few being forwarded (last-N) are recently used.
 * Never throws after construction, never allocates per packet.
 */
class GcmRtpUnprotector {
 public:
  static constexpr std::size_t kMaxStreams = 256;
  static constexpr std::size_t kTagLength = gcm::kTagLength;

  /// @param keySalt master key || master salt (28 bytes). @throws SrtpError on a wrong length or
  /// an OpenSSL failure (control plane).
  explicit GcmRtpUnprotector(std::span<const uint8_t> keySalt);
  ~GcmRtpUnprotector();
  GcmRtpUnprotector(const GcmRtpUnprotector&) = delete;
  GcmRtpUnprotector& operator=(const GcmRtpUnprotector&) = delete;

  /// Verifies and decrypts the SRTP packet in data[0, len) in place; on Ok, len shrinks by the
  /// tag. Reads nothing at or past data + len. Error when the header and tag do not fit in len.
  SrtpResult unprotect(uint8_t* data, std::size_t& len) noexcept;

  /// Adds the lines unprotect() touches for the stream it saw last (CacheLines): this object, the
  /// AEAD's handle, the SSRC list and that stream's entries.
  void addCacheLines(CacheLines& lines) const noexcept;

  /// SSRCs in the table (for tests and metrics).
  std::size_t streamCount() const noexcept { return ssrcs_.size(); }

 private:
  static constexpr std::size_t kNone = kMaxStreams;

  std::size_t find(uint32_t ssrc) noexcept;
  std::size_t admit(uint32_t ssrc) noexcept;

  std::unique_ptr<gcm::GcmAead> aead_;
  std::array<uint8_t, gcm::kMasterSaltLength> sessionSalt_{};
  // Capacity for kMaxStreams reserved at construction, so admitting an SSRC never reallocates, and
  // only the entries in use are ever written (a session's resident memory grows with its SSRCs, not
  // with the bound). The SSRCs, scanned on every packet, sit apart from the larger replay states.
  std::vector<uint32_t> ssrcs_;
  std::vector<uint64_t> lastUse_;
  std::vector<RtpReplayState> states_;
  std::size_t last_ = kNone;
  uint64_t clock_ = 0;
};

}  // namespace diemcau::media
