#include "bridge/room/SpeakerDetector.hpp"

#include <algorithm>

namespace diemcau::bridge {

namespace {

double intervalScore(const LevelWindow& window) {
  if (window.packets == 0 || window.speechPackets == 0) return 0;
  if (static_cast<double>(window.speechPackets) < SpeakerDetector::kMinSpeechShare * window.packets) return 0;
  return static_cast<double>(window.loudnessSum) / window.speechPackets;
}

}  // namespace

SpeakerDetector::Entry* SpeakerDetector::find(std::string_view id) {
  for (auto& entry : entries_) {
    if (entry.id == id) return &entry;
  }
  return nullptr;
}

const SpeakerDetector::Entry* SpeakerDetector::find(std::string_view id) const {
  return const_cast<SpeakerDetector*>(this)->find(id);
}

void SpeakerDetector::update(std::string_view id, Role role, const LevelWindow& window, int64_t nowUs) {
  Entry* entry = find(id);
  if (entry == nullptr) {
    entries_.push_back(Entry{std::string(id), role});
    entry = &entries_.back();
  }
  entry->role = role;
  apply(*entry, window, nowUs);
}

void SpeakerDetector::apply(Entry& entry, const LevelWindow& window, int64_t nowUs) {
  entry.updatedUs = nowUs;
  entry.smoothed += kSmoothing * (intervalScore(window) - entry.smoothed);
  if (!entry.active && entry.smoothed >= kActiveOn) {
    entry.active = true;
    entry.activeSinceUs = nowUs;
  } else if (entry.active && entry.smoothed < kActiveOff) {
    entry.active = false;
    entry.activeSinceUs = -1;
  }
  if (entry.active) entry.lastActiveUs = nowUs;
}

const SpeakerDetector::Entry* SpeakerDetector::challenger() const {
  const Entry* best = nullptr;
  for (const auto& entry : entries_) {
    if (!entry.active || (dominant_ && entry.id == *dominant_)) continue;
    if (best == nullptr || entry.smoothed > best->smoothed) best = &entry;
  }
  return best;
}

bool SpeakerDetector::decide(int64_t nowUs) {
  for (auto& entry : entries_) {
    if (entry.updatedUs != nowUs) apply(entry, LevelWindow{}, nowUs);
  }
  const Entry* current = dominant_ ? find(*dominant_) : nullptr;
  const Entry* candidate = challenger();
  bool changed = false;

  // Is the candidate entitled to challenge, and for how long must it hold?
  bool challenging = false;
  int64_t required = 0;
  if (candidate != nullptr) {
    if (current == nullptr) {
      challenging = true;  // nobody holds it: the first active speaker takes it at once
    } else if (!current->active) {
      challenging = true;
      required = kTakeOverUs;
    } else {
      challenging = candidate->smoothed >= current->smoothed + kChallengeMarginDb;
      required = kChallengeUs;
    }
  }
  if (challenging) {
    if (challengerId_ != candidate->id) {
      challengerId_ = candidate->id;
      challengeSinceUs_ = nowUs;
    }
    if (nowUs - challengeSinceUs_ >= required) {
      setDominant(candidate, nowUs);
      current = candidate;
      changed = true;
    }
  } else {
    challengerId_.clear();
    challengeSinceUs_ = -1;
  }

  if (current != nullptr && !changed) {
    if (current->active) {
      dominantSilentSinceUs_ = -1;
    } else if (dominantSilentSinceUs_ < 0) {
      dominantSilentSinceUs_ = nowUs;
    } else if (nowUs - dominantSilentSinceUs_ >= kReleaseUs && candidate == nullptr) {
      dominant_.reset();
      dominantSilentSinceUs_ = -1;
      changed = true;
    }
  }
  rank();
  return changed;
}

void SpeakerDetector::setDominant(const Entry* entry, int64_t nowUs) {
  dominant_ = entry->id;
  dominantSilentSinceUs_ = entry->active ? -1 : nowUs;
  challengerId_.clear();
  challengeSinceUs_ = -1;
  std::erase_if(recentDominant_, [&](const RankedSpeaker& s) { return s.id == entry->id; });
  recentDominant_.insert(recentDominant_.begin(), RankedSpeaker{entry->id, entry->role});
  if (recentDominant_.size() > kRecentDominantKept) recentDominant_.resize(kRecentDominantKept);
}

bool SpeakerDetector::remove(std::string_view id) {
  std::erase_if(entries_, [&](const Entry& e) { return e.id == id; });
  std::erase_if(recentDominant_, [&](const RankedSpeaker& s) { return s.id == id; });
  std::erase_if(ranking_, [&](const RankedSpeaker& s) { return s.id == id; });
  if (challengerId_ == id) {
    challengerId_.clear();
    challengeSinceUs_ = -1;
  }
  if (!dominant_ || *dominant_ != id) return false;
  dominant_.reset();
  dominantSilentSinceUs_ = -1;
  return true;
}

void SpeakerDetector::rank() {
  std::vector<Entry*> order;
  order.reserve(entries_.size());
  for (auto& entry : entries_) order.push_back(&entry);
  const auto score = [](const Entry* e) { return e->smoothed + (e->sticky ? kChallengeMarginDb : 0.0); };
  std::stable_sort(order.begin(), order.end(), [&](const Entry* a, const Entry* b) {
    if (a->active != b->active) return a->active;
    if (a->active) return score(a) > score(b);
    return a->lastActiveUs > b->lastActiveUs;  // never active (-1) last, in order of arrival
  });
  ranking_.clear();
  for (size_t i = 0; i < order.size(); ++i) {
    ranking_.push_back(RankedSpeaker{order[i]->id, order[i]->role});
    order[i]->sticky = i < stickySlots_;
  }
}

std::vector<std::string> SpeakerDetector::active() const {
  std::vector<const Entry*> order;
  for (const auto& entry : entries_) {
    if (entry.active) order.push_back(&entry);
  }
  std::stable_sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) { return a->smoothed > b->smoothed; });
  std::vector<std::string> ids;
  for (const Entry* entry : order) ids.push_back(entry->id);
  return ids;
}

std::optional<double> SpeakerDetector::smoothed(std::string_view id) const {
  const Entry* entry = find(id);
  if (entry == nullptr) return std::nullopt;
  return entry->smoothed;
}

}  // namespace diemcau::bridge
