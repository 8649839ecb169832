#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "media/srtp/GcmRtcpCipher.hpp"
#include "media/srtp/GcmRtpProtector.hpp"
#include "media/srtp/GcmRtpUnprotector.hpp"
#include "media/srtp/SrtpProfile.hpp"
#include "media/srtp/SrtpResult.hpp"

struct srtp_ctx_t_;

namespace diemcau::media {

/**
 * Bytes a protect call may add after the packet, and therefore the free room the caller must leave after it.
 * libsrtp's contract (srtp.h, srtp_protect / srtp_protect_rtcp) is SRTP_MAX_TRAILER_LEN (+4 for the SRTCP
 * index), larger than any tag we negotiate, so a buffer sized with this constant is safe for every profile.
 */
inline constexpr std::size_t kSrtpMaxTrailer = 16 + 128 + 4;

/**
 * One direction of SRTP + SRTCP for one DTLS association (libsrtp2 `srtp_t`).
 *
 * Inbound sessions accept any SSRC (`ssrc_any_inbound`), outbound sessions protect any SSRC
 * (`ssrc_any_outbound`), so one session serves a whole BUNDLE. Outbound RTP with AEAD_AES_128_GCM is
 * protected by GcmRtpProtector (OpenSSL EVP) instead of libsrtp, with the same bytes on the wire. All data-plane calls work in place, never throw
 * and never allocate; they must be called from the owning worker thread only (libsrtp state is not locked).
 */
class SrtpSession {
 public:
  enum class Direction { Inbound, Outbound };

  /** Replay window in packets: large, because simulcast and RTX over weak links reorder a lot. */
  static constexpr unsigned long kReplayWindow = 1024;

  /**
   * @param keySalt master key || master salt, srtpMasterKeySaltLength(profile) bytes.
   * @throws SrtpError if the key length is wrong or libsrtp refuses the policy (control plane).
   */
  SrtpSession(SrtpProfile profile, std::span<const uint8_t> keySalt, Direction direction);
  ~SrtpSession();

  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;
  SrtpSession(SrtpSession&&) noexcept;
  SrtpSession& operator=(SrtpSession&&) noexcept;

  SrtpProfile profile() const noexcept { return profile_; }
  Direction direction() const noexcept { return direction_; }

  /** Encrypts the RTP packet in data[0, len) in place; on Ok, len grows by the tag. Needs len + kSrtpMaxTrailer <= capacity. */
  SrtpResult protectRtp(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept;
  /** Verifies and decrypts in place; on Ok, len shrinks by the tag. */
  SrtpResult unprotectRtp(uint8_t* data, std::size_t& len) noexcept;
  /** Same as protectRtp for a (compound) RTCP packet; adds the SRTCP index and tag. */
  SrtpResult protectRtcp(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept;
  /** Same as unprotectRtp for SRTCP. */
  SrtpResult unprotectRtcp(uint8_t* data, std::size_t& len) noexcept;

  /// Adds the lines protectRtp() touches (CacheLines).
  void addProtectLines(CacheLines& lines) const noexcept {
    lines.addObject(*this);
    gcmRtp_ ? gcmRtp_->addCacheLines(lines) : lines.add(session_.get());
  }
  /// Adds the lines unprotectRtp() touches for the stream it saw last (CacheLines).
  void addUnprotectLines(CacheLines& lines) const noexcept {
    lines.addObject(*this);
    gcmRtpIn_ ? gcmRtpIn_->addCacheLines(lines) : lines.add(session_.get());
  }

 private:
  struct Deleter {
    void operator()(srtp_ctx_t_* session) const noexcept;
  };

  SrtpProfile profile_;
  Direction direction_;
  std::unique_ptr<srtp_ctx_t_, Deleter> session_;
  // AEAD_AES_128_GCM goes through OpenSSL directly (see GcmRtpProtector for the measured reason),
  // RTP and SRTCP, the sending or the receiving side by direction; AES-CM stays with libsrtp.
  std::unique_ptr<GcmRtpProtector> gcmRtp_;
  std::unique_ptr<GcmRtpUnprotector> gcmRtpIn_;
  std::unique_ptr<GcmRtcpProtector> gcmRtcp_;
  std::unique_ptr<GcmRtcpUnprotector> gcmRtcpIn_;
};

}  // namespace diemcau::media
