// What a page needs from the server to explain itself: the invited sites in a host's join reply (the
// chair's attendance) and a machine-readable `reason` on the errors whose code names several cases.
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class JoinReplyTest : public MeetingFixture {
 protected:
  static std::string errorReason(const Json& reply) {
    if (!reply.is_object() || !reply.contains("error")) return "(no error: " + reply.dump() + ")";
    return reply["error"].value("reason", "(no reason)");
  }
  Json joinWith(const std::string& site, Role role, const std::string& meeting = "mtg-1") {
    return request(connect(), {{"type", "join"}, {"token", token(site, role, meeting)}});
  }
};

TEST_F(JoinReplyTest, HostReplyListsTheInvitedSitesHallFirst) {
  // Only the hall is here: the three communes are invited but absent.
  Json reply = joinWith("huyen", Role::Host);
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["invited"], (Json::array({
                                  {{"site", "huyen"}, {"displayName", "Hội trường UBND huyện"}, {"role", "host"}},
                                  {{"site", "lang-can"}, {"displayName", "Xã Lăng Can"}, {"role", "site"}},
                                  {{"site", "na-hang"}, {"displayName", "Xã Na Hang"}, {"role", "site"}},
                                  {{"site", "thuong-lam"}, {"displayName", "Xã Thượng Lâm"}, {"role", "site"}},
                              })));
  ASSERT_EQ(reply["participants"].size(), 1u);
}

TEST_F(JoinReplyTest, SitesAndViewersAreNotToldWhoElseWasInvited) {
  joined("huyen", Role::Host);
  Json site = joinWith("lang-can", Role::Site);
  ASSERT_TRUE(site.value("ok", false)) << site.dump();
  EXPECT_FALSE(site.contains("invited")) << site.dump();
  Json viewer = joinWith("na-hang", Role::Viewer);
  ASSERT_TRUE(viewer.value("ok", false)) << viewer.dump();
  EXPECT_FALSE(viewer.contains("invited"));
}

TEST_F(JoinReplyTest, InvitedListNamesEachSiteOnceAndFollowsTheStoredMeeting) {
  store::Meeting m = *store_->findMeeting("mtg-1");
  // The hall also written among the invited (the store keeps each site once per meeting, not apart from
  // the host): it appears once, first, as the host; a changed list is what the next join tells.
  m.invitedSiteIds = {"na-hang", "huyen"};
  store_->updateMeeting(m);
  Json reply = joinWith("huyen", Role::Host);
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  ASSERT_EQ(reply["invited"].size(), 2u) << reply["invited"].dump();
  EXPECT_EQ(reply["invited"][0]["site"], "huyen");
  EXPECT_EQ(reply["invited"][0]["role"], "host");
  EXPECT_EQ(reply["invited"][1]["site"], "na-hang");
  EXPECT_EQ(reply["invited"][1]["displayName"], "Xã Na Hang");
}

TEST_F(JoinReplyTest, TokenRefusalsCarryTheirReason) {
  FakeConnection& c = connect();
  Json expired = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site, "mtg-1", kNow - 2h, kNow - 1h)}});
  EXPECT_EQ(errorCode(expired), "unauthorized");
  EXPECT_EQ(errorReason(expired), "token_expired");
  Json early = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site, "mtg-1", kNow + 1h, kNow + 2h)}});
  EXPECT_EQ(errorReason(early), "token_not_yet_valid");
  Json garbage = request(c, {{"type", "join"}, {"token", "not.a.token"}});
  EXPECT_EQ(errorReason(garbage), "token_malformed");
  tokens::TokenService stranger(tokens::SigningKeys::generate(), [](const std::string&) { return false; });
  Json forged = request(c, {{"type", "join"}, {"token", stranger.issue({"mtg-1", "lang-can", Role::Host, kNow - 1h, kNow + 1h, ""}, kNow)}});
  EXPECT_EQ(errorCode(forged), "unauthorized");
  EXPECT_EQ(errorReason(forged), "token_bad_signature");  // a key this server does not know
  std::string revokedToken = token("lang-can", Role::Site);
  store_->revokeToken(tokens_->readSigned(revokedToken)->tokenId, kNow + 2h, kNow);
  Json revoked = request(c, {{"type", "join"}, {"token", revokedToken}});
  EXPECT_EQ(errorReason(revoked), "token_revoked");
  // The envelope's own errors have no reason: the field is there only where it tells cases apart.
  Json missing = request(c, {{"type", "join"}});
  EXPECT_EQ(errorCode(missing), "bad_request");
  EXPECT_FALSE(missing["error"].contains("reason")) << missing.dump();
}

TEST_F(JoinReplyTest, MeetingStatesCarryTheirReason) {
  addMeeting("mtg-later", store::MeetingState::Scheduled);
  addMeeting("mtg-over", store::MeetingState::Ended);
  addMeeting("mtg-off", store::MeetingState::Cancelled);
  EXPECT_EQ(errorReason(joinWith("lang-can", Role::Site, "mtg-later")), "meeting_not_open");
  EXPECT_EQ(errorReason(joinWith("lang-can", Role::Site, "mtg-over")), "meeting_ended");
  Json off = joinWith("lang-can", Role::Site, "mtg-off");
  EXPECT_EQ(errorCode(off), "not_allowed");
  EXPECT_EQ(errorReason(off), "meeting_cancelled");
  Json nowhere = joinWith("lang-can", Role::Site, "mtg-none");
  EXPECT_EQ(errorCode(nowhere), "not_found");
  EXPECT_EQ(errorReason(nowhere), "meeting_not_found");
}

TEST_F(JoinReplyTest, LockedSecondJoinAndRoleRefusalsCarryTheirReason) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  FakeConnection& viewer = joined("thuong-lam", Role::Viewer);
  EXPECT_EQ(errorReason(request(site, {{"type", "join"}, {"token", token("lang-can", Role::Site)}})), "already_joined");
  EXPECT_EQ(errorReason(request(site, {{"type", "lock"}, {"locked", true}})), "chair_only");
  EXPECT_EQ(errorReason(request(viewer, {{"type", "chat"}, {"text", "xin chào"}})), "role_forbidden");
  EXPECT_EQ(errorReason(request(viewer, {{"type", "publish"}, {"sdp", "v=0"}})), "role_forbidden");
  EXPECT_EQ(errorReason(request(hall, {{"type", "hand.raise"}})), "role_forbidden");
  ASSERT_EQ(request(hall, {{"type", "lock"}, {"locked", true}})["ok"], true);
  Json refused = joinWith("na-hang", Role::Site);
  EXPECT_EQ(errorCode(refused), "not_allowed");
  EXPECT_EQ(errorReason(refused), "meeting_locked");
  // A success has no error at all, and the sentence stays what it was.
  EXPECT_EQ(errorMessage(refused), "the meeting is locked");
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
