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

}  // namespace
}  // namespace diemcau::bridge
