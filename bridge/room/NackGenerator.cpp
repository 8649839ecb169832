#include "bridge/room/NackGenerator.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "media/rtp/SeqNumbers.hpp"

namespace diemcau::bridge {

using media::rtp::isSeqNewer;

NackGenerator::Arrival NackGenerator::onPacket(uint16_t sequence, int64_t nowUs) {
  if (!started_) {
    started_ = true;
    newest_ = sequence;
    return Arrival::First;
  }
  if (isSeqNewer(sequence, newest_)) {
    const auto gap = static_cast<uint16_t>(sequence - newest_ - 1);
    const uint16_t from = static_cast<uint16_t>(newest_ + 1);
    newest_ = sequence;
    if (gap == 0) return Arrival::InOrder;
    if (count_ + gap > kCapacity) {
      overflow();
      return Arrival::Reset;
    }
    addMissing(from, gap, nowUs);
    return Arrival::Gap;
  }
  for (size_t i = 0; i < count_; ++i) {
    if (entries_[i].sequence != sequence) continue;
    // Only the answer to a single request is a clean RTT sample (Karn's rule, RFC 6298 section 3).
    const Entry& entry = entries_[i];
    if (entry.retries == 1) {
      const int64_t sample = std::clamp<int64_t>(nowUs - entry.firstSentUs, 1'000, settings_.maxAgeUs);
      rttUs_ = (7 * rttUs_ + sample) / 8;
    }
    remove(i);
    ++counters_.recovered;
    return Arrival::Recovered;
  }
  return Arrival::Late;
}

void NackGenerator::addMissing(uint16_t from, uint16_t count, int64_t nowUs) {
  for (uint16_t i = 0; i < count; ++i) {
    entries_[count_++] = Entry{static_cast<uint16_t>(from + i), 0, nowUs, 0, 0};
  }
  counters_.missing += count;
  const int64_t due = nowUs + settings_.reorderDelayUs;
  nextDueUs_ = count_ == count ? due : std::min(nextDueUs_, due);
}

int64_t NackGenerator::dueAt(const Entry& entry) const {
  if (entry.retries == 0) return entry.detectedUs + settings_.reorderDelayUs;
  return entry.lastSentUs + std::max(rttUs_, settings_.minRetryUs);
}

size_t NackGenerator::collect(int64_t nowUs, std::span<uint16_t> out) {
  size_t written = 0;
  size_t i = 0;
  int64_t nextDue = INT64_MAX;
  while (i < count_) {
    Entry& entry = entries_[i];
    const int64_t due = dueAt(entry);
    if (nowUs - entry.detectedUs > settings_.maxAgeUs ||
        (entry.retries >= settings_.maxRetries && nowUs >= due)) {
      remove(i);
      ++counters_.givenUp;
      keyframeRequest_ = true;
      continue;
    }
    if (nowUs >= due && written < out.size()) {
      out[written++] = entry.sequence;
      if (entry.retries == 0) entry.firstSentUs = nowUs;
      entry.lastSentUs = nowUs;
      ++entry.retries;
    }
    nextDue = std::min(nextDue, dueAt(entry));
    ++i;
  }
  nextDueUs_ = nextDue;
  counters_.requested += written;
  return written;
}

bool NackGenerator::takeKeyframeRequest() { return std::exchange(keyframeRequest_, false); }

bool NackGenerator::pending(uint16_t sequence) const {
  return std::any_of(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(count_),
                     [sequence](const Entry& entry) { return entry.sequence == sequence; });
}

void NackGenerator::remove(size_t index) {
  std::copy(entries_.begin() + static_cast<std::ptrdiff_t>(index) + 1,
            entries_.begin() + static_cast<std::ptrdiff_t>(count_), entries_.begin() + static_cast<std::ptrdiff_t>(index));
  --count_;
}

void NackGenerator::overflow() {
  counters_.givenUp += count_;
  count_ = 0;
  ++counters_.overflows;
  keyframeRequest_ = true;
}

void NackGenerator::reset() {
  count_ = 0;
  started_ = false;
  keyframeRequest_ = false;
}

}  // namespace diemcau::bridge
