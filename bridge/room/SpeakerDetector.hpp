#pragma once
// Who is speaking in a room, from the audio levels the publishers send (RFC 6464). Pure: fed one
// LevelWindow per participant per interval with the time passed in, so it is tested on crafted
// level sequences.
//
// The rule, simpler than the three-timescale scoring of Volfin and Cohen that Jitsi uses and close
// to the percentile-and-smoothing approach of LiveKit:
//   1. An interval scores the mean loudness (dB above -127 dBov) of its speech packets if at least
//      40 % of its packets are speech, else 0. Missing packets (Opus DTX) are silence.
//   2. Each participant's score is smoothed exponentially (weight 0.3 per interval of ~100 ms).
//   3. A participant becomes active when the smoothed score reaches kActiveOn and stops being
//      active when it falls below kActiveOff (hysteresis on the active set).
//   4. The dominant speaker changes only when a challenger, the loudest active other participant,
//      has been louder than the dominant one by kChallengeMarginDb without interruption for
//      kChallengeUs; if the dominant speaker is silent (not active), kTakeOverUs of the
//      challenger being active is enough. A silent dominant speaker nobody challenges stays
//      dominant for kReleaseUs, then there is none.
// The audio ranking (for audio last-N) puts active participants first by smoothed score, those
// ranked within the forwarded slots last time with a bonus of kChallengeMarginDb so the last slot
// does not flap between two similar voices, then the others by how recently they spoke.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/room/AudioLevelMeter.hpp"
#include "bridge/room/RoomTypes.hpp"

namespace diemcau::bridge {

class SpeakerDetector {
 public:
  static constexpr double kSmoothing = 0.3;
  static constexpr double kMinSpeechShare = 0.4;
  static constexpr double kActiveOn = 50.0;
  static constexpr double kActiveOff = 25.0;
  static constexpr double kChallengeMarginDb = 6.0;
  static constexpr int64_t kChallengeUs = 1'000'000;
  static constexpr int64_t kTakeOverUs = 300'000;
  static constexpr int64_t kReleaseUs = 5'000'000;
  static constexpr size_t kRecentDominantKept = 16;

  /// `stickySlots`: how many ranking places keep a bonus (the audio last-N K).
  explicit SpeakerDetector(size_t stickySlots = 3) : stickySlots_(stickySlots) {}

  void setStickySlots(size_t slots) { stickySlots_ = slots; }

  /// One interval of `id`'s levels, ending at `nowUs`. Call for every participant with an audio
  /// track in every interval (an empty window is silence); a known participant not updated
  /// before decide(nowUs) (its audio track went away) counts as silent.
  void update(std::string_view id, Role role, const LevelWindow& window, int64_t nowUs);
  /// Applies the dominant-speaker rule after the interval's updates; true if the dominant
  /// speaker changed (to someone or to nobody).
  bool decide(int64_t nowUs);
  /// The participant left or stopped publishing audio; true if it was the dominant speaker (there
  /// is none until the next decide() picks one).
  bool remove(std::string_view id);

  const std::optional<std::string>& dominant() const { return dominant_; }
  /// Active participants, loudest first.
  std::vector<std::string> active() const;
  /// Dominant speakers, most recent first, each once (the current one first).
  const std::vector<RankedSpeaker>& recentDominant() const { return recentDominant_; }
  /// Every participant with levels, most deserving of a forwarded audio slot first.
  const std::vector<RankedSpeaker>& ranking() const { return ranking_; }
  std::optional<double> smoothed(std::string_view id) const;

 private:
  struct Entry {
    std::string id;
    Role role = Role::Site;
    double smoothed = 0;
    bool active = false;
    bool sticky = false;         // within the sticky slots of the previous ranking
    int64_t activeSinceUs = -1;  // -1: not active
    int64_t lastActiveUs = -1;   // -1: never active
    int64_t updatedUs = -1;
  };

  void apply(Entry& entry, const LevelWindow& window, int64_t nowUs);
  Entry* find(std::string_view id);
  const Entry* find(std::string_view id) const;
  const Entry* challenger() const;
  void setDominant(const Entry* entry, int64_t nowUs);
  void rank();

  size_t stickySlots_;
  std::vector<Entry> entries_;
  std::optional<std::string> dominant_;
  int64_t dominantSilentSinceUs_ = -1;
  std::string challengerId_;
  int64_t challengeSinceUs_ = -1;
  std::vector<RankedSpeaker> recentDominant_;
  std::vector<RankedSpeaker> ranking_;
};

}  // namespace diemcau::bridge
