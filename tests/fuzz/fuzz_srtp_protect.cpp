// libFuzzer target: outbound SRTP protection with AEAD_AES_128_GCM (media::GcmRtpProtector) of any
// bytes. The header walk (CSRC count, extension length) must stay inside the packet whatever it
// says; what it accepts must be exactly what libsrtp accepts back: the receiver decrypts it to
// the original bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "media/srtp/GcmRtpProtector.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/srtp/SrtpSession.hpp"

using namespace diemcau::media;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

const std::vector<uint8_t>& keySalt() {
  static const std::vector<uint8_t> key = [] {
    std::vector<uint8_t> k(GcmRtpProtector::kMasterKeyLength + GcmRtpProtector::kMasterSaltLength);
    for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(0x5a ^ (i * 29));
    return k;
  }();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static SrtpLibrary library;
  if (size > 1500) return 0;
  // Exactly sized: any read past the packet or past the tag's room is an ASan report.
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
  // libsrtp (a fresh receiver: no replay state) must take it and restore the original.
  {
    SrtpSession receiver(SrtpProfile::AeadAes128Gcm, keySalt(), SrtpSession::Direction::Inbound);
    size_t plain = len;
    const SrtpResult result = receiver.unprotectRtp(packet.data(), plain);
    check(result == SrtpResult::Ok);
    check(plain == size && std::equal(data, data + size, packet.data()));
  }
  return 0;
}
