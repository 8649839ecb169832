#include "signaling/meeting/MeetingLiveStatus.hpp"

#include <gtest/gtest.h>

#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class MeetingLiveStatusTest : public MeetingFixture {};

TEST_F(MeetingLiveStatusTest, ShowsWhoIsConnectedAndWhoHasTheFloor) {
  MeetingLiveStatus live(service_);
  EXPECT_TRUE(live.liveStatus("mtg-1").is_null());  // nobody has joined: no live meeting yet

  FakeConnection& hall = joined("huyen", Role::Host);
  joined("lang-can", Role::Site);
  ASSERT_EQ(request(hall, {{"type", "floor.give"}, {"participant", "lang-can"}})["ok"], true);
  ASSERT_EQ(request(hall, {{"type", "mute"}, {"participant", "lang-can"}, {"muted", true}})["ok"], true);

  const nlohmann::json status = live.liveStatus("mtg-1");
  EXPECT_EQ(status["floor"], "lang-can");
  EXPECT_TRUE(status["spotlight"].is_null());
  EXPECT_EQ(status["locked"], false);
  ASSERT_EQ(status["sites"].size(), 2u);
  for (const auto& site : status["sites"]) {
    EXPECT_EQ(site["connected"], true) << site;
    EXPECT_EQ(site["audioMuted"], site["id"] == "lang-can") << site;
  }
  EXPECT_TRUE(live.liveStatus("no-such-meeting").is_null());
}

TEST_F(MeetingLiveStatusTest, SaysNothingOnceTheServiceIsGone) {
  MeetingLiveStatus live(service_);
  joined("huyen", Role::Host);
  dispatcher_ = protocol::Dispatcher{};
  service_.reset();
  EXPECT_TRUE(live.liveStatus("mtg-1").is_null());
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
