#include "bridge/room/SpeakerDetector.hpp"

#include <gtest/gtest.h>

#include "bridge/room/AudioLevelMeter.hpp"

namespace diemcau::bridge {
namespace {

constexpr int64_t kTickUs = 100'000;  // the room's detection interval

// One 100 ms interval of a 20 ms Opus stream: five packets at `level` -dBov.
LevelWindow talk(uint8_t level, bool voice = false) {
  AudioLevelMeter meter;
  for (int i = 0; i < 5; ++i) meter.onLevel({voice, level});
  return meter.take();
}
LevelWindow silence() { return talk(127); }
LevelWindow dtx() { return {}; }  // Opus DTX: no packet at all

// Drives a detector tick by tick with one window per participant.
class Meeting {
 public:
  explicit Meeting(size_t slots = 3) : detector(slots) {}

  /// Runs `ticks` intervals; `windows` gives each participant's window. Returns how many times the
  /// dominant speaker changed.
  template <typename F>
  int run(int ticks, F&& windows) {
    int changes = 0;
    for (int i = 0; i < ticks; ++i) {
      now += kTickUs;
      windows([&](const char* id, LevelWindow window, Role role = Role::Site) {
        detector.update(id, role, window, now);
      });
      if (detector.decide(now)) ++changes;
    }
    return changes;
  }

  SpeakerDetector detector;
  int64_t now = 0;
};

TEST(AudioLevelMeter, LevelDecidesWithoutVadAndTheFlagWithIt) {
  AudioLevelMeter meter;
  meter.onLevel({false, 30});   // speech by level: this sender has no VAD (yet)
  meter.onLevel({false, 90});   // room noise
  LevelWindow w = meter.take();
  EXPECT_EQ(w.packets, 2u);
  EXPECT_EQ(w.speechPackets, 1u);
  EXPECT_EQ(w.loudnessSum, 97u);
  EXPECT_EQ(meter.take().packets, 0u);  // take() starts a new interval

  meter.onLevel({true, 40});    // the sender runs a VAD: from now on only flagged packets count
  meter.onLevel({false, 20});   // loud but not voice (music, a door)
  meter.onLevel({true, 100});   // flagged but quieter than any speech
  w = meter.take();
  EXPECT_TRUE(meter.vadSeen());
  EXPECT_EQ(w.speechPackets, 1u);
  EXPECT_EQ(w.loudnessSum, 87u);
}

TEST(SpeakerDetector, FirstSpeakerBecomesDominantQuickly) {
  Meeting m;
  int changes = m.run(3, [](auto feed) {
    feed("lang-can", talk(30));
    feed("binh-an", silence());
  });
  EXPECT_EQ(changes, 1);
  ASSERT_TRUE(m.detector.dominant());
  EXPECT_EQ(*m.detector.dominant(), "lang-can");
  EXPECT_EQ(m.detector.active(), std::vector<std::string>{"lang-can"});
}

TEST(SpeakerDetector, ShortNoiseDoesNotActivate) {
  Meeting m;
  // One loud interval (a cough) among silence never reaches the active threshold.
  int changes = m.run(1, [](auto feed) { feed("lang-can", talk(10)); });
  changes += m.run(20, [](auto feed) { feed("lang-can", silence()); });
  EXPECT_EQ(changes, 0);
  EXPECT_FALSE(m.detector.dominant());
}

TEST(SpeakerDetector, LouderChallengerMustHoldForASecond) {
  Meeting m;
  m.run(10, [](auto feed) {
    feed("hall", talk(40), Role::Host);
    feed("lang-can", silence());
  });
  ASSERT_EQ(m.detector.dominant().value_or(""), "hall");
  // Lăng Can talks much louder while the hall goes on: not before a second has passed.
  int changes = m.run(8, [](auto feed) {
    feed("hall", talk(40), Role::Host);
    feed("lang-can", talk(10));
  });
  EXPECT_EQ(changes, 0);
  EXPECT_EQ(m.detector.dominant().value_or(""), "hall");
  changes = m.run(12, [](auto feed) {
    feed("hall", talk(40), Role::Host);
    feed("lang-can", talk(10));
  });
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(m.detector.dominant().value_or(""), "lang-can");
  EXPECT_EQ(m.detector.recentDominant().size(), 2u);
  EXPECT_EQ(m.detector.recentDominant()[0].id, "lang-can");
  EXPECT_EQ(m.detector.recentDominant()[1].id, "hall");
}

TEST(SpeakerDetector, SimilarVoicesTalkingOverEachOtherDoNotFlicker) {
  Meeting m;
  // Two sites alternate being slightly louder every 200 ms for 20 s: the first keeps it.
  int tick = 0;
  const int changes = m.run(200, [&](auto feed) {
    const bool odd = (tick++ / 2) % 2 == 1;
    feed("lang-can", talk(odd ? 30 : 33));
    feed("binh-an", talk(odd ? 33 : 30));
  });
  EXPECT_EQ(changes, 1);
}

TEST(SpeakerDetector, BriefInterjectionDoesNotTakeOver) {
  Meeting m;
  m.run(20, [](auto feed) {
    feed("hall", talk(35), Role::Host);
    feed("lang-can", silence());
  });
  // "Yes" from Lăng Can for half a second while the hall speaks.
  const int changes = m.run(5, [](auto feed) {
    feed("hall", talk(35), Role::Host);
    feed("lang-can", talk(5));
  }) + m.run(20, [](auto feed) {
    feed("hall", talk(35), Role::Host);
    feed("lang-can", silence());
  });
  EXPECT_EQ(changes, 0);
  EXPECT_EQ(m.detector.dominant().value_or(""), "hall");
}

TEST(SpeakerDetector, SilenceKeepsTheLastSpeakerThenReleases) {
  Meeting m;
  m.run(10, [](auto feed) { feed("lang-can", talk(30)); });
  // Opus DTX: during a pause almost nothing arrives. Four seconds later it is still the speaker.
  int changes = m.run(40, [](auto feed) { feed("lang-can", dtx()); });
  EXPECT_EQ(changes, 0);
  EXPECT_EQ(m.detector.dominant().value_or(""), "lang-can");
  changes = m.run(30, [](auto feed) { feed("lang-can", dtx()); });
  EXPECT_EQ(changes, 1);
  EXPECT_FALSE(m.detector.dominant());
  EXPECT_TRUE(m.detector.active().empty());
  // The recent speakers are remembered for last-N video even with nobody speaking.
  ASSERT_EQ(m.detector.recentDominant().size(), 1u);
}

TEST(SpeakerDetector, NextSpeakerTakesOverFromASilentOneQuickly) {
  Meeting m;
  m.run(10, [](auto feed) {
    feed("lang-can", talk(30));
    feed("binh-an", silence());
  });
  // Lăng Can stops; Bình An answers, more quietly. Well under the one-second challenge.
  const int changes = m.run(12, [](auto feed) {
    feed("lang-can", silence());
    feed("binh-an", talk(45));
  });
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(m.detector.dominant().value_or(""), "binh-an");
}

TEST(SpeakerDetector, VadFlagsAreRequiredOnceSeen) {
  Meeting m;
  // The sender flags voice activity on one packet, then sends loud unflagged audio (music).
  AudioLevelMeter meter;
  meter.onLevel({true, 120});
  meter.take();
  const int changes = m.run(20, [&](auto feed) {
    for (int i = 0; i < 5; ++i) meter.onLevel({false, 15});
    feed("lang-can", meter.take());
  });
  EXPECT_EQ(changes, 0);
}

TEST(SpeakerDetector, RankingPutsActiveLoudestFirstAndKeepsSlots) {
  Meeting m(2);
  m.run(20, [](auto feed) {
    feed("a", talk(20));
    feed("b", talk(30));
    feed("c", silence());
    feed("d", talk(40));
  });
  const auto& ranking = m.detector.ranking();
  ASSERT_EQ(ranking.size(), 4u);
  EXPECT_EQ(ranking[0].id, "a");
  EXPECT_EQ(ranking[1].id, "b");
  EXPECT_EQ(ranking[2].id, "d");
  EXPECT_EQ(ranking[3].id, "c");
  // d becomes a little louder than b: within the slot bonus, b keeps its slot.
  m.run(20, [](auto feed) {
    feed("a", talk(20));
    feed("b", talk(30));
    feed("c", silence());
    feed("d", talk(27));
  });
  EXPECT_EQ(m.detector.ranking()[1].id, "b");
  // Clearly louder: d takes b's slot; both in the slots, a and d then rank by loudness.
  m.run(20, [](auto feed) {
    feed("a", talk(20));
    feed("b", talk(30));
    feed("c", silence());
    feed("d", talk(15));
  });
  EXPECT_EQ(m.detector.ranking()[0].id, "d");
  EXPECT_EQ(m.detector.ranking()[1].id, "a");
  EXPECT_EQ(m.detector.ranking()[2].id, "b");
}

TEST(SpeakerDetector, QuietSpeakersRankByHowRecentlyTheySpoke) {
  Meeting m;
  m.run(10, [](auto feed) {
    feed("a", talk(30));
    feed("b", silence());
  });
  m.run(30, [](auto feed) {
    feed("a", silence());
    feed("b", talk(30));
  });
  m.run(30, [](auto feed) {
    feed("a", silence());
    feed("b", silence());
  });
  ASSERT_EQ(m.detector.ranking().size(), 2u);
  EXPECT_EQ(m.detector.ranking()[0].id, "b");
}

TEST(SpeakerDetector, AParticipantNoLongerUpdatedFallsSilent) {
  Meeting m;
  m.run(10, [](auto feed) {
    feed("lang-can", talk(30));
    feed("binh-an", silence());
  });
  ASSERT_EQ(m.detector.active(), std::vector<std::string>{"lang-can"});
  // Lăng Can publishes again without audio: nothing feeds it any more.
  m.run(10, [](auto feed) { feed("binh-an", talk(40)); });
  EXPECT_EQ(m.detector.active(), std::vector<std::string>{"binh-an"});
  EXPECT_EQ(m.detector.dominant().value_or(""), "binh-an");
}

TEST(SpeakerDetector, DominantSpeakerLeaving) {
  Meeting m;
  m.run(10, [](auto feed) { feed("lang-can", talk(30)); });
  EXPECT_TRUE(m.detector.remove("lang-can"));
  EXPECT_FALSE(m.detector.dominant());
  EXPECT_TRUE(m.detector.recentDominant().empty());
  EXPECT_FALSE(m.detector.remove("lang-can"));
  EXPECT_FALSE(m.detector.smoothed("lang-can"));
}

}  // namespace
}  // namespace diemcau::bridge
