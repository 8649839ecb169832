#include "media/srtp/GcmRtcpCipher.hpp"

#include <algorithm>

namespace diemcau::media {

namespace {

constexpr std::size_t kClearPrefix = 8;  // RTCP header and sender SSRC, in the clear (RFC 3711 §3.4)
constexpr std::size_t kWordLength = 4;   // E || SRTCP index
constexpr uint32_t kEncryptedFlag = 0x80000000U;
constexpr uint32_t kMaxIndex = 0x7fffffffU;
constexpr std::size_t kMaxPacket = 65535;

// A context under the session's SRTCP key; `salt` gets the SRTCP session salt.
std::unique_ptr<gcm::GcmAead> newAead(std::span<const uint8_t> keySalt,
                                      std::array<uint8_t, gcm::kMasterSaltLength>& salt, bool encrypt) {
  gcm::SessionKeys keys;
  gcm::deriveSessionKeys(keySalt, keys, gcm::KeyUse::Rtcp);
  salt = keys.salt;
  return std::make_unique<gcm::GcmAead>(keys.key, encrypt);
}

}  // namespace

GcmRtcpProtector::GcmRtcpProtector(std::span<const uint8_t> keySalt) {
  aead_ = newAead(keySalt, salt_, true);
  streams_.reserve(8);
}

GcmRtcpProtector::~GcmRtcpProtector() = default;

SrtpResult GcmRtcpProtector::protect(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept {
  if (data == nullptr || len < kClearPrefix || len > kMaxPacket) return SrtpResult::Error;
  if (capacity < len || capacity - len < kTrailerLength) return SrtpResult::BufferTooSmall;
  const uint32_t ssrc = gcm::read32(data + 4);
  auto stream = std::find_if(streams_.begin(), streams_.end(), [ssrc](const Stream& s) { return s.ssrc == ssrc; });
  if (stream == streams_.end()) {
    try {
      streams_.push_back({ssrc, 0});
    } catch (...) {
      return SrtpResult::Error;  // out of memory: no packet rather than a throw on the data plane
    }
    stream = streams_.end() - 1;
  }
  if (stream->index >= kMaxIndex) return SrtpResult::Error;  // RFC 3711 §9.2: no index may repeat
  const uint32_t index = stream->index + 1;
  std::array<uint8_t, kWordLength> word{};
  gcm::write32(word.data(), kEncryptedFlag | index);
  const auto iv = gcm::rtcpIv(salt_, ssrc, index);

  gcm::GcmAead& aead = *aead_;
  const std::size_t body = len - kClearPrefix;
  if (!aead.start(iv.data()) || !aead.addAad(data, kClearPrefix) || !aead.addAad(word.data(), kWordLength) ||
      !aead.crypt(data + kClearPrefix, data + kClearPrefix, body) || !aead.seal(data + len)) {
    return SrtpResult::Error;
  }
  std::copy(word.begin(), word.end(), data + len + gcm::kTagLength);
  len += kTrailerLength;
  stream->index = index;
  return SrtpResult::Ok;
}

GcmRtcpUnprotector::GcmRtcpUnprotector(std::span<const uint8_t> keySalt) {
  aead_ = newAead(keySalt, salt_, false);
  streams_.reserve(kMaxStreams);
}

GcmRtcpUnprotector::~GcmRtcpUnprotector() = default;

SrtpResult GcmRtcpUnprotector::check(const Stream& stream, uint32_t index) noexcept {
  if (index > stream.highest) return SrtpResult::Ok;
  const uint32_t below = stream.highest - index;
  if (below >= kWindow) return SrtpResult::ReplayOld;
  return (stream.seen[below / 64] >> (below % 64)) & 1U ? SrtpResult::ReplayFail : SrtpResult::Ok;
}

void GcmRtcpUnprotector::accept(Stream& stream, uint32_t index) noexcept {
  if (index > stream.highest) {
    const uint32_t by = index - stream.highest;
    auto& [low, high] = stream.seen;
    if (by >= 128) {
      low = high = 0;
    } else if (by >= 64) {
      high = low << (by - 64);
      low = 0;
    } else {
      high = (high << by) | (low >> (64 - by));
      low <<= by;
    }
    stream.highest = index;
  }
  const uint32_t below = stream.highest - index;
  stream.seen[below / 64] |= uint64_t{1} << (below % 64);
}

GcmRtcpUnprotector::Stream& GcmRtcpUnprotector::admit(uint32_t ssrc) noexcept {
  if (streams_.size() < kMaxStreams) {
    streams_.push_back({ssrc, 0, 0, {}});  // within the reserved capacity: no allocation
    return streams_.back();
  }
  auto oldest = std::min_element(streams_.begin(), streams_.end(),
                                 [](const Stream& a, const Stream& b) { return a.lastUse < b.lastUse; });
  *oldest = Stream{ssrc, 0, 0, {}};
  return *oldest;
}

SrtpResult GcmRtcpUnprotector::unprotect(uint8_t* data, std::size_t& len) noexcept {
  if (data == nullptr || len > kMaxPacket || len < kClearPrefix + GcmRtcpProtector::kTrailerLength) {
    return SrtpResult::Error;
  }
  const uint32_t word = gcm::read32(data + len - kWordLength);
  const bool encrypted = (word & kEncryptedFlag) != 0;
  const uint32_t index = word & kMaxIndex;
  const uint32_t ssrc = gcm::read32(data + 4);
  auto stream = std::find_if(streams_.begin(), streams_.end(), [ssrc](const Stream& s) { return s.ssrc == ssrc; });
  if (stream != streams_.end()) {
    const SrtpResult replay = check(*stream, index);
    if (replay != SrtpResult::Ok) return replay;
  }

  const std::size_t body = len - GcmRtcpProtector::kTrailerLength;  // header + (encrypted) rest
  uint8_t* tag = data + body;
  const auto iv = gcm::rtcpIv(salt_, ssrc, index);
  gcm::GcmAead& aead = *aead_;
  // E = 1: the header and the word are associated data, the rest is decrypted in place.
  // E = 0: everything before the tag, then the word, is associated data (RFC 7714 §9.3).
  const std::size_t aad = encrypted ? kClearPrefix : body;
  const std::size_t cipher = body - aad;
  if (!aead.start(iv.data()) || !aead.addAad(data, aad) ||
      !aead.addAad(data + len - kWordLength, kWordLength) || !aead.crypt(data + aad, data + aad, cipher)) {
    return SrtpResult::Error;
  }
  if (!aead.open(tag)) return SrtpResult::AuthFail;

  // Authentic: only now does the packet touch the table.
  Stream& entry = stream != streams_.end() ? *stream : admit(ssrc);
  accept(entry, index);
  entry.lastUse = ++clock_;
  len = body;
  return SrtpResult::Ok;
}

}  // namespace diemcau::media
