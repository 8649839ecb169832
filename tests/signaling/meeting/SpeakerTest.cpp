// The room's dominant-speaker reports: announced as speaker.changed, logged, in the join reply;
// the routing state carries the last-N settings.
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class SpeakerTest : public MeetingFixture {};

TEST_F(SpeakerTest, DominantSpeakerIsAnnouncedToEveryoneAndLogged) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  room().events->onDominantSpeaker(std::string("lang-can"), {"lang-can", "huyen"});

  for (FakeConnection* c : {&hall, &site}) {
    const auto events = c->events("speaker.changed");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["participant"], "lang-can");
    EXPECT_EQ(events[0]["active"], (Json{"lang-can", "huyen"}));
  }
  // The same speaker again (a report racing a rejoin) is not news.
  room().events->onDominantSpeaker(std::string("lang-can"), {"lang-can"});
  EXPECT_EQ(hall.events("speaker.changed").size(), 1u);

  // Long silence: nobody.
  room().events->onDominantSpeaker(std::nullopt, {});
  ASSERT_EQ(hall.events("speaker.changed").size(), 2u);
  EXPECT_TRUE(hall.events("speaker.changed")[1]["participant"].is_null());

  std::vector<Json> logged;
  for (const auto& line : eventLog()) {
    if (line["type"] == "speaker.changed") logged.push_back(line);
  }
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0]["participant"], "lang-can");
  EXPECT_EQ(logged[0]["active"], (Json{"lang-can", "huyen"}));
  EXPECT_TRUE(logged[1]["participant"].is_null());
}

TEST_F(SpeakerTest, ReportsAboutParticipantsWhoLeftAreDroppedAndActiveIsFiltered) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  request(site, {{"type", "leave"}});
  room().events->onDominantSpeaker(std::string("lang-can"), {"lang-can"});
  EXPECT_TRUE(hall.events("speaker.changed").empty());
  room().events->onDominantSpeaker(std::string("huyen"), {"huyen", "lang-can"});
  ASSERT_EQ(hall.events("speaker.changed").size(), 1u);
  EXPECT_EQ(hall.events("speaker.changed")[0]["active"], (Json{"huyen"}));
}

TEST_F(SpeakerTest, JoinReplyNamesTheCurrentSpeaker) {
  joined("huyen", Role::Host);
  FakeConnection& c = connect();
  Json reply = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site)}});
  EXPECT_TRUE(reply["speaker"].is_null());
  room().events->onDominantSpeaker(std::string("huyen"), {"huyen"});
  FakeConnection& d = connect();
  reply = request(d, {{"type", "join"}, {"token", token("na-hang", Role::Site)}});
  EXPECT_EQ(reply["speaker"], "huyen");
}

TEST_F(SpeakerTest, RoutingStateCarriesTheLastNSettings) {
  FakeConnection& hall = joined("huyen", Role::Host);
  joined("lang-can", Role::Site);
  request(hall, {{"type", "floor.give"}, {"participant", "lang-can"}});
  ASSERT_FALSE(room().routing.empty());
  EXPECT_EQ(room().routing.back().audioLastN, 3u);
  EXPECT_EQ(room().routing.back().videoLastN, 2u);
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
