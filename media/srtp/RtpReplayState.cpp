#include "media/srtp/RtpReplayState.hpp"

namespace diemcau::media {

namespace {

constexpr int32_t kSeqMedian = 1 << 15;
constexpr int32_t kSeqRange = 1 << 16;

}  // namespace

RtpReplayState::Estimate RtpReplayState::estimate(uint16_t seq) const noexcept {
  const int32_t s = seq;
  if (index_ <= static_cast<uint64_t>(kSeqMedian)) {
    // No wrap is possible yet: ROC 0 (a guess of ROC - 1 would underflow).
    return {seq, s - static_cast<int32_t>(index_)};
  }
  // RFC 3711 Appendix A, written as libsrtp's srtp_index_guess decides the ties.
  const uint32_t roc = static_cast<uint32_t>(index_ >> 16);
  const int32_t highest = static_cast<int32_t>(index_ & 0xffff);
  uint32_t guess = roc;
  int32_t delta = s - highest;
  if (highest < kSeqMedian) {
    if (s - highest > kSeqMedian) {
      guess = roc - 1;  // an old number from before the last wrap
      delta = s - highest - kSeqRange;
    }
  } else if (highest - kSeqMedian > s) {
    guess = roc + 1;  // the sequence number wrapped
    delta = s - highest + kSeqRange;
  }
  return {(static_cast<uint64_t>(guess) << 16) | seq, delta};
}

SrtpResult RtpReplayState::check(int32_t delta) const noexcept {
  if (delta > 0) return SrtpResult::Ok;
  const int64_t back = -static_cast<int64_t>(delta);
  if (back >= static_cast<int64_t>(kWindow)) return SrtpResult::ReplayOld;
  const auto k = static_cast<std::size_t>(back);
  return (seen_[k / 64] >> (k % 64)) & 1u ? SrtpResult::ReplayFail : SrtpResult::Ok;
}

void RtpReplayState::accept(int32_t delta) noexcept {
  if (delta > 0) {
    // libsrtp advances by the 16-bit delta; every delta estimate() gives is below 2^16.
    index_ += static_cast<uint16_t>(delta);
    shift(static_cast<uint32_t>(delta));
    seen_[0] |= 1u;
    return;
  }
  const int64_t back = -static_cast<int64_t>(delta);
  if (back >= static_cast<int64_t>(kWindow)) return;
  const auto k = static_cast<std::size_t>(back);
  seen_[k / 64] |= uint64_t{1} << (k % 64);
}

void RtpReplayState::shift(uint32_t by) noexcept {
  if (by >= kWindow) {
    seen_.fill(0);
    return;
  }
  const std::size_t words = by / 64;
  const unsigned bits = by % 64;
  // Bit k moves to k + by: higher words take from lower ones.
  for (std::size_t i = kWords; i-- > 0;) {
    uint64_t value = 0;
    if (i >= words) {
      value = seen_[i - words] << bits;
      if (bits != 0 && i > words) value |= seen_[i - words - 1] >> (64 - bits);
    }
    seen_[i] = value;
  }
}

}  // namespace diemcau::media
