// The outbound SRTP protect of one RTP packet with AEAD_AES_128_GCM, by backend: libsrtp2 as Debian
// builds it (NSS crypto, a PKCS#11 context per packet), against media::GcmRtpProtector (OpenSSL
// EVP, key schedule kept). SrtpSession uses the second one for outbound GCM RTP; this keeps the
// first measurable next to it. Same key, same packets, a new sequence number per call.
#include <benchmark/benchmark.h>
#include <srtp2/srtp.h>

#include <memory>
#include <vector>

#include "media/srtp/GcmRtpProtector.hpp"
#include "media/srtp/SrtpSession.hpp"
#include "tools/bench/BenchProfiles.hpp"
#include "tools/bench/PacketFactory.hpp"

namespace diemcau::tools::bench {
namespace {

struct SrtpDealloc {
  void operator()(srtp_t session) const { srtp_dealloc(session); }
};

void setSequence(std::vector<uint8_t>& packet, uint16_t sequence) {
  packet[2] = static_cast<uint8_t>(sequence >> 8);
  packet[3] = static_cast<uint8_t>(sequence);
}

void BM_ProtectBackend_libsrtp(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  auto key = makeKeySalt(kGcm, 7);
  srtp_policy_t policy{};
  srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
  srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  policy.ssrc.type = ssrc_any_outbound;
  policy.key = key.data();
  policy.window_size = media::SrtpSession::kReplayWindow;
  policy.allow_repeat_tx = 1;
  srtp_t raw = nullptr;
  if (srtp_create(&raw, &policy) != srtp_err_status_ok) {
    state.SkipWithError("srtp_create failed");
    return;
  }
  std::unique_ptr<srtp_ctx_t_, SrtpDealloc> session(raw);
  const auto plain = makeRtpPacket(size, 1, 3000, 0x11111111);
  std::vector<uint8_t> buffer(size + media::kSrtpMaxTrailer);
  uint16_t sequence = 1;
  for (auto _ : state) {
    std::copy(plain.begin(), plain.end(), buffer.begin());
    setSequence(buffer, sequence++);
    int len = static_cast<int>(size);
    if (srtp_protect(session.get(), buffer.data(), &len) != srtp_err_status_ok) {
      state.SkipWithError("srtp_protect failed");
      break;
    }
    benchmark::DoNotOptimize(buffer.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ProtectBackend_openssl(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  media::GcmRtpProtector protector(makeKeySalt(kGcm, 7));
  const auto plain = makeRtpPacket(size, 1, 3000, 0x11111111);
  std::vector<uint8_t> buffer(size + media::kSrtpMaxTrailer);
  uint16_t sequence = 1;
  for (auto _ : state) {
    std::copy(plain.begin(), plain.end(), buffer.begin());
    setSequence(buffer, sequence++);
    size_t len = size;
    if (protector.protect(buffer.data(), len, buffer.size()) != media::SrtpResult::Ok) {
      state.SkipWithError("protect failed");
      break;
    }
    benchmark::DoNotOptimize(buffer.data());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_ProtectBackend_libsrtp)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK(BM_ProtectBackend_openssl)->ArgName("bytes")->Arg(1200)->Arg(200);

}  // namespace
}  // namespace diemcau::tools::bench
