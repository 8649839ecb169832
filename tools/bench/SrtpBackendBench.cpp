// SRTP of one RTP packet with AEAD_AES_128_GCM, by backend: libsrtp2 as Debian builds it (NSS
// crypto, a PKCS#11 context per packet), against OpenSSL EVP with the key schedule kept
// (media::GcmRtpProtector to send, media::GcmRtpUnprotector to receive). SrtpSession uses the
// OpenSSL ones for GCM RTP; this keeps libsrtp measurable next to them. Protect: same key, same
// packets, a new sequence number per call. Unprotect: a first-seen authentic packet per call, from
// a ProtectedRing (the receiver is renewed, untimed, when the ring wraps).
#include <benchmark/benchmark.h>
#include <srtp2/srtp.h>

#include <memory>
#include <vector>

#include "media/srtp/GcmRtpProtector.hpp"
#include "media/srtp/GcmRtpUnprotector.hpp"
#include "media/srtp/SrtpSession.hpp"
#include "tools/bench/BenchProfiles.hpp"
#include "tools/bench/PacketFactory.hpp"
#include "tools/bench/ProtectedRing.hpp"

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

// The inbound session SrtpSession made with libsrtp: any SSRC, kReplayWindow.
std::unique_ptr<srtp_ctx_t_, SrtpDealloc> libsrtpInbound(std::vector<uint8_t>& key) {
  srtp_policy_t policy{};
  srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
  srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  policy.ssrc.type = ssrc_any_inbound;
  policy.key = key.data();
  policy.window_size = media::SrtpSession::kReplayWindow;
  srtp_t raw = nullptr;
  if (srtp_create(&raw, &policy) != srtp_err_status_ok) return nullptr;
  return std::unique_ptr<srtp_ctx_t_, SrtpDealloc>(raw);
}

void BM_UnprotectBackend_libsrtp(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const ProtectedRing ring(kGcm, size, kRingPackets);
  auto key = makeKeySalt(kGcm, 1);  // the ring's key
  auto session = libsrtpInbound(key);
  std::vector<uint8_t> rx(size + media::kSrtpMaxTrailer);
  size_t next = 0;
  for (auto _ : state) {
    if (next == ring.size()) {
      state.PauseTiming();
      session = libsrtpInbound(key);
      next = 0;
      state.ResumeTiming();
    }
    const auto packet = ring.packet(next++);
    std::copy(packet.begin(), packet.end(), rx.begin());
    int len = static_cast<int>(packet.size());
    if (!session || srtp_unprotect(session.get(), rx.data(), &len) != srtp_err_status_ok) {
      state.SkipWithError("srtp_unprotect failed");
      break;
    }
    benchmark::DoNotOptimize(rx.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_UnprotectBackend_openssl(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const ProtectedRing ring(kGcm, size, kRingPackets);
  const auto key = makeKeySalt(kGcm, 1);
  auto receiver = std::make_unique<media::GcmRtpUnprotector>(key);
  std::vector<uint8_t> rx(size + media::kSrtpMaxTrailer);
  size_t next = 0;
  for (auto _ : state) {
    if (next == ring.size()) {
      state.PauseTiming();
      receiver = std::make_unique<media::GcmRtpUnprotector>(key);
      next = 0;
      state.ResumeTiming();
    }
    const auto packet = ring.packet(next++);
    std::copy(packet.begin(), packet.end(), rx.begin());
    size_t len = packet.size();
    if (receiver->unprotect(rx.data(), len) != media::SrtpResult::Ok) {
      state.SkipWithError("unprotect failed");
      break;
    }
    benchmark::DoNotOptimize(rx.data());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_ProtectBackend_libsrtp)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK(BM_ProtectBackend_openssl)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK(BM_UnprotectBackend_libsrtp)->ArgName("bytes")->Arg(1200)->Arg(200);
BENCHMARK(BM_UnprotectBackend_openssl)->ArgName("bytes")->Arg(1200)->Arg(200);

}  // namespace
}  // namespace diemcau::tools::bench
