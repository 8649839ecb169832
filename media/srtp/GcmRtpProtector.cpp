#include "media/srtp/GcmRtpProtector.hpp"

#include <algorithm>

#include "media/srtp/GcmRtpCrypto.hpp"

namespace diemcau::media {

GcmRtpProtector::GcmRtpProtector(std::span<const uint8_t> keySalt) {
  gcm::SessionKeys keys;
  gcm::deriveSessionKeys(keySalt, keys);
  sessionSalt_ = keys.salt;

  aead_ = std::make_unique<gcm::GcmAead>(keys.key, /*encrypt=*/true);
  streams_.reserve(8);
}

GcmRtpProtector::~GcmRtpProtector() = default;

void GcmRtpProtector::addCacheLines(CacheLines& lines) const noexcept {
  lines.addObject(*this);
  lines.add(streams_.data(), streams_.size() * sizeof(Stream));
  lines.addObject(*aead_);
}

uint32_t GcmRtpProtector::rolloverCounter(uint32_t ssrc, uint16_t seq) noexcept {
  if (lastStream_ >= streams_.size() || streams_[lastStream_].ssrc != ssrc) {
    const auto found = std::find_if(streams_.begin(), streams_.end(), [ssrc](const Stream& s) { return s.ssrc == ssrc; });
    if (found == streams_.end()) {
      // The first packet of a stream starts its ROC at 0 (RFC 3711 §3.3.1).
      try {
        streams_.push_back({ssrc, 0, seq});
      } catch (...) {
        return 0;  // out of memory: protect with ROC 0 rather than throw on the data plane
      }
      lastStream_ = streams_.size() - 1;
      return 0;
    }
    lastStream_ = static_cast<std::size_t>(found - streams_.begin());
  }
  Stream& stream = streams_[lastStream_];
  // RFC 3711 Appendix A: guess the ROC that puts seq closest to the highest number sent so far.
  // Until the index passes 2^15 the ROC stays 0 (it cannot go back before the first packet), as
  // libsrtp decides it, so both sides agree on every packet a receiver can have seen.
  const uint16_t highest = stream.highestSeq;
  uint32_t roc = stream.roc;
  if (stream.roc == 0 && highest <= 0x8000) {
    roc = 0;
  } else if (highest < 0x8000) {
    if (seq > highest && seq - highest > 0x8000) roc = stream.roc - 1;  // an old number from before a wrap
  } else if (seq < highest - 0x8000) {
    roc = stream.roc + 1;  // wrapped
  }
  if (roc == stream.roc + 1 || (roc == stream.roc && seq > highest)) {
    stream.roc = roc;
    stream.highestSeq = seq;
  }
  return roc;
}

SrtpResult GcmRtpProtector::protect(uint8_t* data, std::size_t& len, std::size_t capacity) noexcept {
  if (data == nullptr || len < gcm::kFixedRtpHeader || len > 65535) return SrtpResult::Error;
  if (capacity < len || capacity - len < kTagLength) return SrtpResult::BufferTooSmall;
  // The authenticated header (RFC 7714 §8.2), never trusted to fit in the packet.
  const std::size_t header = gcm::rtpHeaderLength(data, len);
  if (header == 0) return SrtpResult::Error;
  const uint16_t seq = gcm::read16(data + 2);
  const uint32_t ssrc = gcm::read32(data + 8);
  const uint32_t roc = rolloverCounter(ssrc, seq);

  const auto iv = gcm::rtpIv(sessionSalt_, ssrc, roc, seq);

  gcm::GcmAead& aead = *aead_;
  if (!aead.start(iv.data()) || !aead.addAad(data, header) ||
      !aead.crypt(data + header, data + header, len - header) || !aead.seal(data + len)) {
    return SrtpResult::Error;
  }
  len += kTagLength;
  return SrtpResult::Ok;
}

}  // namespace diemcau::media
