// libFuzzer target: AEAD_AES_128_GCM SRTP and SRTCP on OpenSSL, both directions, on any bytes.
//  - media::GcmRtpUnprotector on the input as received SRTP: it reads nothing past the packet
//    (the buffer is exactly sized), and decides as libsrtp2 does on the same bytes;
//  - media::GcmRtpProtector on the input as plain RTP: the header walk (CSRC count, extension
//    length) stays inside the packet whatever it says, and what it accepts libsrtp and
//    GcmRtpUnprotector both decrypt back to the original bytes;
//  - media::GcmRtcpUnprotector and GcmRtcpProtector the same way on the input as SRTCP and as
//    plain RTCP (the trailer's E flag and index are read from the end of an exactly sized buffer).
#include <srtp2/srtp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "media/srtp/GcmRtcpCipher.hpp"
#include "media/srtp/GcmRtpProtector.hpp"
#include "media/srtp/GcmRtpUnprotector.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/srtp/SrtpSession.hpp"

using namespace diemcau::media;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

std::vector<uint8_t>& keySalt() {
  static std::vector<uint8_t> key = [] {
    std::vector<uint8_t> k(GcmRtpProtector::kMasterKeyLength + GcmRtpProtector::kMasterSaltLength);
    for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(0x5a ^ (i * 29));
    return k;
  }();
  return key;
}

struct SrtpDeleter {
  void operator()(srtp_t s) const { srtp_dealloc(s); }
};

// libsrtp's own inbound session, as SrtpSession configured it before the OpenSSL path.
std::unique_ptr<srtp_ctx_t_, SrtpDeleter> libsrtpReceiver() {
  srtp_policy_t policy{};
  srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
  srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  policy.ssrc.type = ssrc_any_inbound;
  policy.key = keySalt().data();
  policy.window_size = SrtpSession::kReplayWindow;
  srtp_t raw = nullptr;
  check(srtp_create(&raw, &policy) == srtp_err_status_ok);
  return std::unique_ptr<srtp_ctx_t_, SrtpDeleter>(raw);
}

SrtpResult libsrtpUnprotect(std::vector<uint8_t>& packet, size_t& len) {
  int length = static_cast<int>(len);
  const srtp_err_status_t status = srtp_unprotect(libsrtpReceiver().get(), packet.data(), &length);
  if (status == srtp_err_status_ok) len = static_cast<size_t>(length);
  if (status == srtp_err_status_ok) return SrtpResult::Ok;
  if (status == srtp_err_status_auth_fail) return SrtpResult::AuthFail;
  return SrtpResult::Error;  // a fresh receiver has no replay state: the rest is parsing
}

SrtpResult libsrtpUnprotectRtcp(std::vector<uint8_t>& packet, size_t& len) {
  int length = static_cast<int>(len);
  const srtp_err_status_t status = srtp_unprotect_rtcp(libsrtpReceiver().get(), packet.data(), &length);
  if (status == srtp_err_status_ok) len = static_cast<size_t>(length);
  return status == srtp_err_status_ok ? SrtpResult::Ok : SrtpResult::AuthFail;
}

// The input as SRTCP received, then as plain RTCP to protect.
void fuzzRtcp(const uint8_t* data, size_t size) {
  {
    std::vector<uint8_t> ours(data, data + size);
    GcmRtcpUnprotector receiver(keySalt());
    size_t len = size;
    const SrtpResult result = receiver.unprotect(ours.data(), len);
    if (size >= 8) {
      std::vector<uint8_t> theirs(data, data + size);
      size_t theirLen = size;
      const bool theyAccept = libsrtpUnprotectRtcp(theirs, theirLen) == SrtpResult::Ok;
      check((result == SrtpResult::Ok) == theyAccept);
      if (theyAccept) {
        check(len == theirLen &&
              std::equal(ours.begin(), ours.begin() + static_cast<std::ptrdiff_t>(len), theirs.begin()));
      }
    }
    if (result != SrtpResult::Ok) check(len == size && receiver.streamCount() == 0);
  }
  std::vector<uint8_t> packet(data, data + size);
  packet.resize(size + GcmRtcpProtector::kTrailerLength);
  GcmRtcpProtector protector(keySalt());
  size_t len = size;
  if (protector.protect(packet.data(), len, packet.size()) != SrtpResult::Ok) {
    check(len == size && size < 8);
    return;
  }
  check(len == size + GcmRtcpProtector::kTrailerLength);
  packet.resize(len);
  {
    std::vector<uint8_t> copy = packet;
    size_t plain = len;
    check(libsrtpUnprotectRtcp(copy, plain) == SrtpResult::Ok);
    check(plain == size && std::equal(data, data + size, copy.data()));
  }
  GcmRtcpUnprotector receiver(keySalt());
  size_t plain = len;
  check(receiver.unprotect(packet.data(), plain) == SrtpResult::Ok);
  check(plain == size && std::equal(data, data + size, packet.data()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static SrtpLibrary library;
  if (size > 1500) return 0;
  fuzzRtcp(data, size);

  // As received SRTP: exactly sized, so any read past the packet is an ASan report.
  if (size >= 12) {
    std::vector<uint8_t> ours(data, data + size);
    GcmRtpUnprotector receiver(keySalt());
    size_t len = size;
    const SrtpResult result = receiver.unprotect(ours.data(), len);
    std::vector<uint8_t> theirs(data, data + size);
    size_t theirLen = size;
    check(result == libsrtpUnprotect(theirs, theirLen));
    if (result != SrtpResult::Ok) {
      check(len == size && receiver.streamCount() == 0);
    } else {
      check(len == theirLen && std::equal(ours.begin(), ours.begin() + static_cast<std::ptrdiff_t>(len), theirs.begin()));
    }
  }

  // As plain RTP to protect.
  std::vector<uint8_t> packet(data, data + size);
  packet.resize(size + GcmRtpProtector::kTagLength);
  GcmRtpProtector protector(keySalt());
  size_t len = size;
  if (protector.protect(packet.data(), len, packet.size()) != SrtpResult::Ok) {
    check(len == size);
    return 0;
  }
  check(len == size + GcmRtpProtector::kTagLength);
  // The authenticated header is left as it was.
  check(std::equal(data, data + std::min<size_t>(size, 12), packet.data()));
  // libsrtp and GcmRtpUnprotector (fresh receivers: no replay state) take it and restore it.
  {
    std::vector<uint8_t> copy(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(len));
    size_t plain = len;
    check(libsrtpUnprotect(copy, plain) == SrtpResult::Ok);
    check(plain == size && std::equal(data, data + size, copy.data()));
  }
  GcmRtpUnprotector receiver(keySalt());
  packet.resize(len);
  size_t plain = len;
  check(receiver.unprotect(packet.data(), plain) == SrtpResult::Ok);
  check(plain == size && std::equal(data, data + size, packet.data()));
  return 0;
}
