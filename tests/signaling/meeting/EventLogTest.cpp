// The event log file itself, and what the meeting writes into it.
#include "signaling/meeting/EventLog.hpp"

#include <sys/stat.h>

#include "signaling/meeting/UtcMillis.hpp"
#include "signaling/meeting/WireNames.hpp"
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class EventLogTest : public MeetingFixture {};

TEST(UtcMillisTest, FormatsMillisecondsInUtc) {
  using namespace std::chrono;
  const system_clock::time_point at = sys_days{2026y / 12 / 1} + 1h + 2min + 3s + 45ms;
  EXPECT_EQ(formatUtcMillis(at), "2026-12-01T01:02:03.045Z");
  EXPECT_EQ(formatUtcMillis(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(Utf8Test, CountsCodePointsAndRefusesMalformedInput) {
  EXPECT_EQ(countUtf8(""), 0u);
  EXPECT_EQ(countUtf8("Lăng Can"), 8u);
  EXPECT_EQ(countUtf8("\xF0\x9F\x8E\x89"), 1u);          // U+1F389
  EXPECT_FALSE(countUtf8("\xC3\x28"));                    // bad continuation
  EXPECT_FALSE(countUtf8("\xC0\xAF"));                    // overlong '/'
  EXPECT_FALSE(countUtf8("\xED\xA0\x80"));                // surrogate U+D800
  EXPECT_FALSE(countUtf8("\xF4\x90\x80\x80"));            // above U+10FFFF
  EXPECT_FALSE(countUtf8("\xE1\xBA"));                    // truncated
  EXPECT_FALSE(countUtf8("\xFF"));
}

TEST_F(EventLogTest, LinesAreAppendedWithTimeFirst) {
  const auto file = EventLog::pathFor(dir_, "m-log");
  {
    EventLog log(file);
    ASSERT_TRUE(log.isOpen());
    EXPECT_TRUE(log.append(now_, "chat", {{"from", "lang-can"}, {"text", "a\nb"}}));
  }
  {
    // Reopened (a restart): appended, not truncated.
    EventLog log(file);
    EXPECT_TRUE(log.append(now_ + std::chrono::seconds(1), "floor.changed", {{"participant", nullptr}}));
    EXPECT_EQ(log.linesWritten(), 1u);
  }
  std::ifstream in(file);
  std::string first;
  std::string second;
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(first, R"({"at":"2026-11-30T00:53:20.123Z","type":"chat","from":"lang-can","text":"a\nb"})");
  EXPECT_EQ(second, R"({"at":"2026-11-30T00:53:21.123Z","type":"floor.changed","participant":null})");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(EventLogTest, WriteFailuresAreCountedNotThrown) {
  // A regular file where the folder should be: the log cannot open.
  std::ofstream(dir_ / "archive") << "x";
  EventLog log(EventLog::pathFor(dir_, "m-broken"));
  EXPECT_FALSE(log.isOpen());
  EXPECT_FALSE(log.append(now_, "chat", {{"text", "lost"}}));
  EXPECT_GE(log.failures(), 2u);
}

TEST_F(EventLogTest, FullDiskIsCounted) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  EventLog log("/dev/full");
  ASSERT_TRUE(log.isOpen());
  EXPECT_FALSE(log.append(now_, "chat", {{"text", "lost"}}));
  EXPECT_EQ(log.failures(), 1u);
  EXPECT_EQ(log.linesWritten(), 0u);
}

TEST_F(EventLogTest, MeetingIdsThatAreNotFolderNamesAreRefused) {
  EXPECT_TRUE(EventLog::isSafeMeetingId("giao-ban-20261201"));
  EXPECT_FALSE(EventLog::isSafeMeetingId(".."));
  EXPECT_FALSE(EventLog::isSafeMeetingId("a/b"));
  EXPECT_FALSE(EventLog::isSafeMeetingId(""));
  EXPECT_FALSE(EventLog::isSafeMeetingId(std::string(129, 'a')));
}

TEST_F(EventLogTest, MeetingWritesEveryEventWithTheChair) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  joined("na-hang", Role::Site);
  request(site, {{"type", "hand.raise"}});
  request(hall, {{"type", "floor.give"}, {"participant", "lang-can"}});
  request(hall, {{"type", "mute"}, {"participant", "na-hang"}, {"muted", true}});
  request(site, {{"type", "chat"}, {"text", "Báo cáo xong"}});
  room().events->onTrackAdded({"lang-can:video", "lang-can", bridge::TrackKind::Video, "VP8"});
  room().events->onSubscriberOffer("lang-can", 1, "v=0 secret-ish sdp");
  request(hall, {{"type", "remove"}, {"participant", "na-hang"}});
  request(site, {{"type", "leave"}});
  request(hall, {{"type", "end"}});

  const auto lines = eventLog();
  std::vector<std::string> types;
  for (const auto& l : lines) {
    ASSERT_TRUE(l.contains("at"));
    EXPECT_EQ(l["at"].get<std::string>().size(), 24u) << l.dump();
    types.push_back(l["type"]);
  }
  const std::vector<std::string> expected = {
      "room.created",   "participant.joined", "participant.joined", "participant.joined", "hand.changed",
      "hand.changed",   "floor.changed",      "mute.changed",       "chat",               "track.added",
      "subscribe.offer", "participant.left",  "track.removed",      "participant.left",   "floor.changed",
      "meeting.ended",  "room.closed"};
  EXPECT_EQ(types, expected);
  auto find = [&](const std::string& type, size_t nth = 0) {
    for (const auto& l : lines) {
      if (l["type"] == type && nth-- == 0) return l;
    }
    return Json();
  };
  EXPECT_EQ(find("participant.joined", 1)["participant"]["id"], "lang-can");
  EXPECT_EQ(find("floor.changed")["by"], "huyen");
  EXPECT_EQ(find("mute.changed")["by"], "huyen");
  EXPECT_EQ(find("mute.changed")["participant"], "na-hang");
  EXPECT_EQ(find("chat")["text"], "Báo cáo xong");
  EXPECT_EQ(find("participant.left")["reason"], "removed");
  EXPECT_EQ(find("participant.left")["by"], "huyen");
  EXPECT_EQ(find("participant.left", 1)["reason"], "left");
  EXPECT_EQ(find("meeting.ended")["by"], "huyen");
  EXPECT_FALSE(find("subscribe.offer").contains("sdp"));
  EXPECT_EQ(service_->find("mtg-1"), nullptr);
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
