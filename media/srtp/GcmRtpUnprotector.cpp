#include "media/srtp/GcmRtpUnprotector.hpp"

namespace diemcau::media {

namespace {

// What libsrtp judges an unknown SSRC's first packet against: its template stream, fresh.
constexpr RtpReplayState kFreshState{};

}  // namespace

GcmRtpUnprotector::GcmRtpUnprotector(std::span<const uint8_t> keySalt) {
  ssrcs_.reserve(kMaxStreams);
  lastUse_.reserve(kMaxStreams);
  states_.reserve(kMaxStreams);
  gcm::SessionKeys keys;
  gcm::deriveSessionKeys(keySalt, keys);
  sessionSalt_ = keys.salt;
  aead_ = std::make_unique<gcm::GcmAead>(keys.key, /*encrypt=*/false);
}

GcmRtpUnprotector::~GcmRtpUnprotector() = default;

void GcmRtpUnprotector::addCacheLines(CacheLines& lines) const noexcept {
  lines.addObject(*this);
  lines.addObject(*aead_);
  lines.add(ssrcs_.data(), ssrcs_.size() * sizeof(uint32_t));
  if (last_ != kNone) {
    lines.addObject(lastUse_[last_]);
    lines.addObject(states_[last_]);
  }
}

std::size_t GcmRtpUnprotector::find(uint32_t ssrc) noexcept {
  if (last_ != kNone && ssrcs_[last_] == ssrc) return last_;
  for (std::size_t i = 0; i < ssrcs_.size(); ++i) {
    if (ssrcs_[i] == ssrc) return last_ = i;
  }
  return kNone;
}

std::size_t GcmRtpUnprotector::admit(uint32_t ssrc) noexcept {
  if (ssrcs_.size() < kMaxStreams) {
    // Within the reserved capacity: no allocation, so nothing here can throw.
    ssrcs_.push_back(ssrc);
    lastUse_.push_back(0);
    states_.emplace_back();
    return last_ = ssrcs_.size() - 1;
  }
  // Full: the stream silent for longest gives its entry up (see the class comment).
  std::size_t slot = 0;
  for (std::size_t i = 1; i < kMaxStreams; ++i) {
    if (lastUse_[i] < lastUse_[slot]) slot = i;
  }
  ssrcs_[slot] = ssrc;
  states_[slot] = RtpReplayState{};
  return last_ = slot;
}

SrtpResult GcmRtpUnprotector::unprotect(uint8_t* data, std::size_t& len) noexcept {
  if (data == nullptr || len < gcm::kFixedRtpHeader || len > 65535) return SrtpResult::Error;
  // The header must fit, and the tag after it (libsrtp: srtp_validate_rtp_header, then the
  // encrypted part must hold at least the tag).
  const std::size_t header = gcm::rtpHeaderLength(data, len);
  if (header == 0 || len - header < kTagLength) return SrtpResult::Error;
  const uint16_t seq = gcm::read16(data + 2);
  const uint32_t ssrc = gcm::read32(data + 8);

  const std::size_t slot = find(ssrc);
  // An unknown SSRC is judged against a fresh state, without a replay check, as libsrtp judges
  // it against its template stream.
  const RtpReplayState& state = slot == kNone ? kFreshState : states_[slot];
  const RtpReplayState::Estimate estimate = state.estimate(seq);
  if (slot != kNone) {
    const SrtpResult replay = state.check(estimate.delta);
    if (replay != SrtpResult::Ok) return replay;
  }

  const auto iv = gcm::rtpIv(sessionSalt_, ssrc, estimate.roc(), seq);
  const std::size_t cipherLength = len - header - kTagLength;
  gcm::GcmAead& aead = *aead_;
  if (!aead.start(iv.data()) || !aead.addAad(data, header) ||
      !aead.crypt(data + header, data + header, cipherLength)) {
    return SrtpResult::Error;
  }
  if (!aead.open(data + len - kTagLength)) return SrtpResult::AuthFail;

  // Authentic: only now does the packet touch the table (RFC 3711 §3.3.2, replay list updated
  // after authentication).
  const std::size_t entry = slot == kNone ? admit(ssrc) : slot;
  states_[entry].accept(estimate.delta);
  lastUse_[entry] = ++clock_;
  len -= kTagLength;
  return SrtpResult::Ok;
}

}  // namespace diemcau::media
