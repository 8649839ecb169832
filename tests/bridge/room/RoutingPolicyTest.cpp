#include "bridge/room/RoutingPolicy.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

const ParticipantInfo kHall{"hall", "Huyện", Role::Host};
const ParticipantInfo kChair2{"chair2", "Phó chủ tịch", Role::Host};
const ParticipantInfo kLangCan{"lang-can", "Xã Lăng Can", Role::Site};
const ParticipantInfo kBinhAn{"binh-an", "Xã Bình An", Role::Site};
const ParticipantInfo kViewer{"press", "Báo chí", Role::Viewer};

TrackInfo video(const ParticipantInfo& p) { return {p.id + ".video", p.id, TrackKind::Video, "VP8"}; }
TrackInfo audio(const ParticipantInfo& p) { return {p.id + ".audio", p.id, TrackKind::Audio, "opus"}; }

TEST(RoutingPolicy, EveryoneHearsEveryoneElse) {
  RoutingState state;
  RoutingPolicy policy(state);
  EXPECT_TRUE(policy.receives(kLangCan, audio(kBinhAn), Role::Site));
  EXPECT_TRUE(policy.receives(kViewer, audio(kLangCan), Role::Site));
  EXPECT_TRUE(policy.receives(kHall, audio(kLangCan), Role::Site));
  EXPECT_FALSE(policy.receives(kLangCan, audio(kLangCan), Role::Site));
}

TEST(RoutingPolicy, HostsSeeEverySiteSitesSeeTheHosts) {
  RoutingState state;
  RoutingPolicy policy(state);
  EXPECT_TRUE(policy.receives(kHall, video(kLangCan), Role::Site));
  EXPECT_TRUE(policy.receives(kHall, video(kChair2), Role::Host));
  EXPECT_TRUE(policy.receives(kLangCan, video(kHall), Role::Host));
  EXPECT_TRUE(policy.receives(kViewer, video(kChair2), Role::Host));
  EXPECT_FALSE(policy.receives(kLangCan, video(kBinhAn), Role::Site));
  EXPECT_FALSE(policy.receives(kViewer, video(kBinhAn), Role::Site));
  EXPECT_FALSE(policy.receives(kHall, video(kHall), Role::Host));
}

TEST(RoutingPolicy, FloorAndSpotlightAreSeenByEveryone) {
  RoutingState state;
  state.floor = "binh-an";
  state.spotlight = "lang-can";
  RoutingPolicy policy(state);
  EXPECT_TRUE(policy.receives(kLangCan, video(kBinhAn), Role::Site));
  EXPECT_TRUE(policy.receives(kViewer, video(kBinhAn), Role::Site));
  EXPECT_TRUE(policy.receives(kBinhAn, video(kLangCan), Role::Site));
  EXPECT_FALSE(policy.receives(kBinhAn, video(kBinhAn), Role::Site));  // not even with the floor
}

TEST(RoutingPolicy, ChairMuteIsAboutAudioOnly) {
  RoutingState state;
  state.audioMuted = {"lang-can"};
  RoutingPolicy policy(state);
  EXPECT_TRUE(policy.audioMuted("lang-can"));
  EXPECT_FALSE(policy.audioMuted("binh-an"));
  EXPECT_FALSE(policy.audioMuted("lang"));
  // The subscription stays: the bridge drops the packets, the receivers keep their section.
  EXPECT_TRUE(policy.receives(kHall, audio(kLangCan), Role::Site));
}

RankedSpeaker ranked(const ParticipantInfo& p) { return {p.id, p.role}; }

const ParticipantInfo kSonTay{"son-tay", "Xã Sơn Tây", Role::Site};
const ParticipantInfo kMyDuc{"my-duc", "Xã Mỹ Đức", Role::Site};
const ParticipantInfo kTanLap{"tan-lap", "Xã Tân Lập", Role::Site};

TEST(RoutingPolicy, AudioLastNForwardsTheBestRankedAndAlwaysHostsAndFloor) {
  RoutingState state;
  state.audioLastN = 2;
  SpeakerActivity activity;
  activity.audioRanking = {ranked(kHall), ranked(kLangCan), ranked(kBinhAn), ranked(kSonTay), ranked(kMyDuc)};
  {
    RoutingPolicy policy(state, activity);
    EXPECT_TRUE(policy.audioForwarded("hall", Role::Host));  // takes no slot
    EXPECT_TRUE(policy.audioForwarded("lang-can", Role::Site));
    EXPECT_TRUE(policy.audioForwarded("binh-an", Role::Site));
    EXPECT_FALSE(policy.audioForwarded("son-tay", Role::Site));
    EXPECT_FALSE(policy.audioForwarded("my-duc", Role::Site));
    EXPECT_TRUE(policy.audioForwarded("tan-lap", Role::Site));  // sends no levels: never silenced
  }
  state.floor = "my-duc";  // the floor holder is heard and takes no slot
  {
    RoutingPolicy policy(state, activity);
    EXPECT_TRUE(policy.audioForwarded("my-duc", Role::Site));
    EXPECT_TRUE(policy.audioForwarded("binh-an", Role::Site));
    EXPECT_FALSE(policy.audioForwarded("son-tay", Role::Site));
  }
  state.audioLastN = 0;  // off
  EXPECT_TRUE(RoutingPolicy(state, activity).audioForwarded("son-tay", Role::Site));
}

TEST(RoutingPolicy, SmallMeetingsAreNotAffectedByAudioLastN) {
  RoutingState state;  // default K = 3
  SpeakerActivity activity;
  activity.audioRanking = {ranked(kChair2), ranked(kHall), ranked(kLangCan), ranked(kBinhAn), ranked(kSonTay)};
  RoutingPolicy policy(state, activity);
  for (const auto& p : activity.audioRanking) EXPECT_TRUE(policy.audioForwarded(p.id, p.role)) << p.id;
}

TEST(RoutingPolicy, LastNVideoShowsTheMostRecentSpeakers) {
  RoutingState state;
  state.videoLastN = 2;
  state.spotlight = "tan-lap";
  SpeakerActivity activity;
  // Most recent first: the hall and the spotlight are seen anyway and take no slot.
  activity.recentDominant = {ranked(kHall), ranked(kLangCan), ranked(kTanLap), ranked(kBinhAn), ranked(kSonTay)};
  RoutingPolicy policy(state, activity);
  EXPECT_TRUE(policy.receives(kMyDuc, video(kLangCan), Role::Site));
  EXPECT_TRUE(policy.receives(kMyDuc, video(kBinhAn), Role::Site));
  EXPECT_FALSE(policy.receives(kMyDuc, video(kSonTay), Role::Site));
  EXPECT_TRUE(policy.receives(kViewer, video(kBinhAn), Role::Site));
  // Lăng Can never gets itself back: its slots go to the next speakers.
  EXPECT_TRUE(policy.receives(kLangCan, video(kBinhAn), Role::Site));
  EXPECT_TRUE(policy.receives(kLangCan, video(kSonTay), Role::Site));
  // A subscriber with its own N (a weak link): fewer slots.
  EXPECT_TRUE(policy.receives(kMyDuc, video(kLangCan), Role::Site, 1u));
  EXPECT_FALSE(policy.receives(kMyDuc, video(kBinhAn), Role::Site, 1u));
  EXPECT_FALSE(policy.receives(kMyDuc, video(kLangCan), Role::Site, 0u));
  EXPECT_TRUE(policy.receives(kMyDuc, video(kTanLap), Role::Site, 0u));  // spotlight regardless
  // Audio is not what last-N video is about.
  EXPECT_TRUE(policy.receives(kMyDuc, audio(kSonTay), Role::Site, 0u));
}

}  // namespace
}  // namespace diemcau::bridge
