#pragma once
// libsrtp2's own AEAD_AES_128_GCM session: the reference the OpenSSL paths (GcmRtpProtector,
// GcmRtpUnprotector, GcmRtcpProtector, GcmRtcpUnprotector) are checked against. The policy is the one
// SrtpSession gave libsrtp before those paths: any SSRC, a window of SrtpSession::kReplayWindow,
// repeated sends allowed outbound. RTP and RTCP; results in SrtpResult's vocabulary.
#include <gtest/gtest.h>
#include <srtp2/srtp.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "media/srtp/SrtpResult.hpp"
#include "media/srtp/SrtpSession.hpp"

namespace diemcau::media::test {

class LibsrtpReference {
 public:
  enum class Direction { Inbound, Outbound };

  /// encryptRtcp false: SRTCP authenticated only (E = 0), as a peer may choose.
  LibsrtpReference(std::vector<uint8_t> keySalt, Direction direction, bool encryptRtcp = true)
      : key_(std::move(keySalt)) {
    const bool inbound = direction == Direction::Inbound;
    srtp_policy_t policy{};
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    if (!encryptRtcp) policy.rtcp.sec_serv = sec_serv_auth;
    policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.key = key_.data();
    policy.window_size = SrtpSession::kReplayWindow;
    policy.allow_repeat_tx = inbound ? 0 : 1;
    srtp_t raw = nullptr;
    EXPECT_EQ(srtp_create(&raw, &policy), srtp_err_status_ok);
    session_.reset(raw);
  }

  std::vector<uint8_t> protect(std::vector<uint8_t> packet) { return seal(std::move(packet), &srtp_protect); }
  std::vector<uint8_t> protectRtcp(std::vector<uint8_t> packet) {
    return seal(std::move(packet), &srtp_protect_rtcp);
  }
  /// On Ok the packet shrinks to its plain length.
  SrtpResult unprotect(std::vector<uint8_t>& packet) { return open(packet, &srtp_unprotect); }
  SrtpResult unprotectRtcp(std::vector<uint8_t>& packet) { return open(packet, &srtp_unprotect_rtcp); }

 private:
  using Call = srtp_err_status_t (*)(srtp_t, void*, int*);
  struct Deleter {
    void operator()(srtp_t s) const { srtp_dealloc(s); }
  };

  std::vector<uint8_t> seal(std::vector<uint8_t> packet, Call call) {
    int len = static_cast<int>(packet.size());
    packet.resize(packet.size() + SRTP_MAX_TRAILER_LEN + 4);  // SRTCP adds its index word too
    EXPECT_EQ(call(session_.get(), packet.data(), &len), srtp_err_status_ok);
    packet.resize(static_cast<std::size_t>(len));
    return packet;
  }
  SrtpResult open(std::vector<uint8_t>& packet, Call call) {
    int len = static_cast<int>(packet.size());
    switch (call(session_.get(), packet.data(), &len)) {
      case srtp_err_status_ok: packet.resize(static_cast<std::size_t>(len)); return SrtpResult::Ok;
      case srtp_err_status_replay_old: return SrtpResult::ReplayOld;
      case srtp_err_status_replay_fail: return SrtpResult::ReplayFail;
      case srtp_err_status_auth_fail: return SrtpResult::AuthFail;
      default: return SrtpResult::Error;
    }
  }

  std::vector<uint8_t> key_;
  std::unique_ptr<srtp_ctx_t_, Deleter> session_;
};

}  // namespace diemcau::media::test
