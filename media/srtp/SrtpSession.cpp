#include "media/srtp/SrtpSession.hpp"

#include <srtp2/srtp.h>

#include <climits>
#include <string>

#include "media/srtp/SrtpError.hpp"

namespace diemcau::media {

namespace {

static_assert(kSrtpMaxTrailer >= SRTP_MAX_TRAILER_LEN + 4, "kSrtpMaxTrailer must cover libsrtp's contract");

// Smallest packets libsrtp can parse: the fixed RTP header (RFC 3550 §5.1) and the RTCP header + sender SSRC
// (RFC 3550 §6.4.1), which SRTCP leaves in the clear (RFC 3711 §3.4).
constexpr std::size_t kMinRtpLength = 12;
constexpr std::size_t kMinRtcpLength = 8;
// Keeps len + trailer representable as the `int` libsrtp takes.
constexpr std::size_t kMaxPacketLength = 65535;

SrtpResult toResult(srtp_err_status_t status) noexcept {
  switch (status) {
    case srtp_err_status_ok: return SrtpResult::Ok;
    case srtp_err_status_replay_old: return SrtpResult::ReplayOld;
    case srtp_err_status_replay_fail: return SrtpResult::ReplayFail;
    case srtp_err_status_auth_fail: return SrtpResult::AuthFail;
    default: return SrtpResult::Error;
  }
}

void setCryptoPolicies(SrtpProfile profile, srtp_policy_t& policy) {
  switch (profile) {
    case SrtpProfile::AeadAes128Gcm:
      // RFC 7714 §14.2: AEAD_AES_128_GCM protects SRTP and SRTCP alike with a 16-byte tag.
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
      return;
    case SrtpProfile::Aes128CmSha1_80:
      // RFC 5764 §4.1.2: SRTP_AES128_CM_HMAC_SHA1_80 for both SRTP and SRTCP.
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      return;
  }
  throw SrtpError("unknown SRTP profile", 0);
}

}  // namespace

void SrtpSession::Deleter::operator()(srtp_ctx_t_* session) const noexcept { srtp_dealloc(session); }

SrtpSession::SrtpSession(SrtpProfile profile, std::span<const uint8_t> keySalt, Direction direction)
    : profile_(profile), direction_(direction) {
  const std::size_t expected = srtpMasterKeySaltLength(profile);
  if (keySalt.size() != expected) {
    throw SrtpError("SRTP key||salt for " + std::string(srtpProfileName(profile)) + " must be " +
                        std::to_string(expected) + " bytes, got " + std::to_string(keySalt.size()),
                    0);
  }

  srtp_policy_t policy{};
  setCryptoPolicies(profile, policy);
  policy.ssrc.type = direction == Direction::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.ssrc.value = 0;
  // libsrtp derives its session keys inside srtp_create and does not keep this pointer.
  policy.key = const_cast<unsigned char*>(keySalt.data());
  policy.window_size = kReplayWindow;
  // NACK-driven retransmissions re-protect a packet with a sequence number already sent.
  policy.allow_repeat_tx = direction == Direction::Outbound ? 1 : 0;
  policy.next = nullptr;

  srtp_t raw = nullptr;
  const srtp_err_status_t status = srtp_create(&raw, &policy);
  if (status != srtp_err_status_ok) {
    throw SrtpError("srtp_create failed with status " + std::to_string(status), status);
  }
  session_.reset(raw);
  if (profile == SrtpProfile::AeadAes128Gcm && direction == Direction::Outbound) {
    gcmRtp_ = std::make_unique<GcmRtpProtector>(keySalt);
    gcmRtcp_ = std::make_unique<GcmRtcpProtector>(keySalt);
  }
  if (profile == SrtpProfile::AeadAes128Gcm && direction == Direction::Inbound) {
    static_assert(RtpReplayState::kWindow == kReplayWindow, "the OpenSSL path must keep libsrtp's window");
    gcmRtpIn_ = std::make_unique<GcmRtpUnprotector>(keySalt);
    gcmRtcpIn_ = std::make_unique<GcmRtcpUnprotector>(keySalt);
  }
}

SrtpSession::~SrtpSession() = default;
SrtpSession::SrtpSession(SrtpSession&&) noexcept = default;
SrtpSession& SrtpSession::operator=(SrtpSession&&) noexcept = default;

SrtpResult SrtpSession::protectRtp(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept {
  if (!session_ || data == nullptr || len < kMinRtpLength || len > kMaxPacketLength) return SrtpResult::Error;
  if (capacity < len || capacity - len < kSrtpMaxTrailer) return SrtpResult::BufferTooSmall;
  if (gcmRtp_) return gcmRtp_->protect(data, len, capacity);
  int length = static_cast<int>(len);
  const srtp_err_status_t status = srtp_protect(session_.get(), data, &length);
  if (status != srtp_err_status_ok) return toResult(status);
  len = static_cast<std::size_t>(length);
  return SrtpResult::Ok;
}

SrtpResult SrtpSession::unprotectRtp(uint8_t* data, std::size_t& len) noexcept {
  if (!session_ || data == nullptr) return SrtpResult::Error;
  if (len < kMinRtpLength || len > kMaxPacketLength) return SrtpResult::BufferTooSmall;
  if (gcmRtpIn_) return gcmRtpIn_->unprotect(data, len);
  int length = static_cast<int>(len);
  const srtp_err_status_t status = srtp_unprotect(session_.get(), data, &length);
  if (status != srtp_err_status_ok) return toResult(status);
  len = static_cast<std::size_t>(length);
  return SrtpResult::Ok;
}

SrtpResult SrtpSession::protectRtcp(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept {
  if (!session_ || data == nullptr || len < kMinRtcpLength || len > kMaxPacketLength) return SrtpResult::Error;
  if (capacity < len || capacity - len < kSrtpMaxTrailer) return SrtpResult::BufferTooSmall;
  if (gcmRtcp_) return gcmRtcp_->protect(data, len, capacity);
  int length = static_cast<int>(len);
  const srtp_err_status_t status = srtp_protect_rtcp(session_.get(), data, &length);
  if (status != srtp_err_status_ok) return toResult(status);
  len = static_cast<std::size_t>(length);
  return SrtpResult::Ok;
}

SrtpResult SrtpSession::unprotectRtcp(uint8_t* data, std::size_t& len) noexcept {
  if (!session_ || data == nullptr) return SrtpResult::Error;
  if (len < kMinRtcpLength || len > kMaxPacketLength) return SrtpResult::BufferTooSmall;
  if (gcmRtcpIn_) return gcmRtcpIn_->unprotect(data, len);
  int length = static_cast<int>(len);
  const srtp_err_status_t status = srtp_unprotect_rtcp(session_.get(), data, &length);
  if (status != srtp_err_status_ok) return toResult(status);
  len = static_cast<std::size_t>(length);
  return SrtpResult::Ok;
}

}  // namespace diemcau::media
