// video.size: a participant's displayed size of a video reaches its room.
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class VideoSizeTest : public MeetingFixture {};

TEST_F(VideoSizeTest, TheSizeGoesToTheRoomForTheCaller) {
  FakeConnection& site = joined("lang-can", Role::Site);
  Json reply = request(site, {{"type", "video.size"}, {"track", "huyen.video"}, {"width", 320}, {"height", 180}});
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  ASSERT_EQ(room().videoSizes.size(), 1u);
  EXPECT_EQ(room().videoSizes[0].participant, "lang-can");
  EXPECT_EQ(room().videoSizes[0].track, "huyen.video");
  EXPECT_EQ(room().videoSizes[0].height, 180);
  // 0 lifts the limit.
  reply = request(site, {{"type", "video.size"}, {"track", "huyen.video"}, {"width", 0}, {"height", 0}});
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(room().videoSizes.back().height, 0);
}

TEST_F(VideoSizeTest, BadFieldsAreRefused) {
  FakeConnection& site = joined("lang-can", Role::Site);
  EXPECT_EQ(errorCode(request(site, {{"type", "video.size"}, {"width", 320}, {"height", 180}})), "bad_request");
  EXPECT_EQ(errorCode(request(site, {{"type", "video.size"}, {"track", "huyen.video"}, {"width", 320}, {"height", -1}})),
            "bad_request");
  EXPECT_EQ(errorCode(request(site, {{"type", "video.size"}, {"track", "huyen.video"}, {"width", 320}, {"height", 99999}})),
            "bad_request");
  EXPECT_EQ(errorCode(request(site, {{"type", "video.size"}, {"track", "huyen.video"}, {"width", "big"}, {"height", 10}})),
            "bad_request");
  EXPECT_TRUE(room().videoSizes.empty());
}

TEST_F(VideoSizeTest, OnlyAfterJoining) {
  FakeConnection& c = connect();
  EXPECT_EQ(errorCode(request(c, {{"type", "video.size"}, {"track", "huyen.video"}, {"width", 320}, {"height", 180}})),
            "not_allowed");
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
