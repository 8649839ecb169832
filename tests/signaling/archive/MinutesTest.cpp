#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "signaling/archive/MinutesBuilder.hpp"
#include "signaling/archive/MinutesText.hpp"
#include "signaling/scheduler/TimeZone.hpp"
#include "tests/signaling/archive/ArchiveFixture.hpp"

namespace diemcau::signaling::archive {
namespace {

std::optional<std::string> storedName(const std::string& id) {
  if (id == "thuong-lam") return "Xã Thượng Lâm";
  return std::nullopt;
}

EventLogContents parseAll(const std::string& text) {
  EventLogContents log;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    if (auto event = parseEventLine(line)) {
      log.events.push_back(std::move(*event));
    } else if (!line.empty()) {
      ++log.malformedLines;
    }
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return log;
}

class MinutesTest : public ::testing::Test {
 protected:
  Minutes minutes_ = buildMinutes(test::districtMeeting(), parseAll(test::districtEvents()), storedName);
  const SiteAttendance& site(const std::string& id) {
    for (const auto& s : minutes_.sites) {
      if (s.id == id) return s;
    }
    throw std::runtime_error("no site " + id);
  }
};

TEST_F(MinutesTest, AttendanceWithGapsAndAbsence) {
  ASSERT_EQ(minutes_.sites.size(), 5u);
  EXPECT_EQ(minutes_.sites[0].id, "huyen");
  EXPECT_EQ(minutes_.sites[4].id, "thuong-lam");
  EXPECT_EQ(minutes_.hostName, "Hội trường UBND huyện");
  EXPECT_EQ(minutes_.chairs, std::vector<std::string>{"Hội trường UBND huyện"});
  EXPECT_EQ(site("huyen").presentMs, 30 * 60'000 - 100);

  const auto& naHang = site("na-hang");
  ASSERT_EQ(naHang.present.size(), 2u);
  EXPECT_EQ(naHang.gaps(), 1u);
  EXPECT_EQ(naHang.present[0].leaveReason, "connection lost");
  EXPECT_EQ(naHang.present[1].leaveReason, "meeting ended");
  EXPECT_EQ(naHang.presentMs, (8 + 15) * 60'000);
  EXPECT_EQ(naHang.connectionLosses, 1);

  const auto& absent = site("thuong-lam");
  EXPECT_TRUE(absent.absent());
  EXPECT_TRUE(absent.invited);
  EXPECT_EQ(absent.displayName, "Xã Thượng Lâm");
  EXPECT_EQ(minutes_.endReason, "ended by the chair");
  EXPECT_EQ(minutes_.endedMs - minutes_.startedMs, 30 * 60'000);
  EXPECT_EQ(minutes_.malformedLines, 1u);
}

TEST_F(MinutesTest, FloorChairActionsChatAndRecordings) {
  EXPECT_EQ(minutes_.speakingSource, "floor");
  EXPECT_EQ(site("lang-can").speakingMs, 6 * 60'000);
  EXPECT_EQ(site("lang-can").handRaises, 1);
  EXPECT_EQ(site("lang-can").floorGrants, 1);

  ASSERT_EQ(minutes_.floor.size(), 3u);
  EXPECT_EQ(minutes_.floor[0].kind, "request");
  EXPECT_EQ(minutes_.floor[1].kind, "grant");
  EXPECT_EQ(minutes_.floor[2].kind, "release");

  std::vector<std::string> actions;
  for (const auto& a : minutes_.chairActions) actions.push_back(a.action + ":" + a.target);
  EXPECT_EQ(actions, (std::vector<std::string>{"mute:lang-can", "unmute:lang-can", "floor.give:lang-can",
                                               "floor.take:", "end:"}));
  ASSERT_EQ(minutes_.chat.size(), 1u);
  EXPECT_EQ(minutes_.chat[0].text, "Xã Lăng Can báo cáo xong.");
  ASSERT_EQ(minutes_.recordings.size(), 1u);
  EXPECT_EQ(minutes_.recordings[0].stoppedMs - minutes_.recordings[0].startedMs, 30'000);
  EXPECT_EQ(minutes_.recordings[0].droppedPackets, 3u);
}

TEST_F(MinutesTest, SpeakerEventsTakePrecedenceOverTheFloor) {
  auto log = parseAll(test::districtEvents());
  log.events.insert(log.events.begin() + 5,
                    *parseEventLine(R"({"at":"2026-12-01T01:04:00.000Z","type":"speaker.changed","participant":"son-phu"})"));
  log.events.insert(log.events.begin() + 6,
                    *parseEventLine(R"({"at":"2026-12-01T01:04:30.000Z","type":"speaker.changed","participant":null})"));
  const Minutes minutes = buildMinutes(test::districtMeeting(), log, storedName);
  EXPECT_EQ(minutes.speakingSource, "audio-level");
  for (const auto& s : minutes.sites) {
    EXPECT_EQ(s.speakingMs, s.id == "son-phu" ? 30'000 : 0) << s.id;
  }
}

TEST_F(MinutesTest, SpeakingTimePerSiteFromTheBridgesSpeakerEvents) {
  // speaker.changed as the meeting service logs them: a dominant speaker (or null) and the active set.
  auto log = parseAll(test::districtEvents());
  for (const char* line : {
           R"({"at":"2026-12-01T01:03:30.000Z","type":"speaker.changed","participant":"huyen","active":["huyen"]})",
           R"({"at":"2026-12-01T01:05:00.000Z","type":"speaker.changed","participant":"lang-can","active":["lang-can","huyen"]})",
           R"({"at":"2026-12-01T01:08:00.000Z","type":"speaker.changed","participant":"na-hang","active":["na-hang"]})",
           // na-hang's link drops at 01:10 while it speaks: its time ends there, nobody speaks after.
           R"({"at":"2026-12-01T01:10:00.050Z","type":"speaker.changed","participant":null,"active":[]})",
           R"({"at":"2026-12-01T01:25:00.000Z","type":"speaker.changed","participant":"son-phu","active":["son-phu"]})",
       }) {
    log.events.push_back(*parseEventLine(line));
  }
  std::stable_sort(log.events.begin(), log.events.end(),
                   [](const ArchiveEvent& a, const ArchiveEvent& b) { return a.atMs < b.atMs; });
  const Minutes minutes = buildMinutes(test::districtMeeting(), log, storedName);
  EXPECT_EQ(minutes.speakingSource, "audio-level");
  std::map<std::string, int64_t> speaking;
  for (const auto& s : minutes.sites) speaking[s.id] = s.speakingMs;
  EXPECT_EQ(speaking["huyen"], 90'000);
  EXPECT_EQ(speaking["lang-can"], 3 * 60'000);  // the floor it held later does not count here
  EXPECT_EQ(speaking["na-hang"], 2 * 60'000);
  EXPECT_EQ(speaking["son-phu"], 5 * 60'000);     // until the meeting ended
  EXPECT_EQ(speaking["thuong-lam"], 0);

  const auto zone = scheduler::TimeZone::load("Asia/Ho_Chi_Minh");
  ASSERT_TRUE(zone);
  const std::string en = minutesToMarkdown(minutes, *zone, MinutesLanguage::English);
  EXPECT_NE(en.find("from audio levels"), std::string::npos) << en;
  EXPECT_NE(en.find("- Xã Sơn Phú: "), std::string::npos) << en;
}

TEST_F(MinutesTest, ResumedLinkIsAGapAndLinkQualityIsAveraged) {
  // son-phu loses its link at 01:06 and resumes its seat 20 s later; lang-can loses it at 01:24 and
  // the resume window ends at 01:24:30 without it; link quality entries as the meeting logs them.
  auto log = parseAll(test::districtEvents());
  for (const char* line : {
           R"({"at":"2026-12-01T01:06:00.000Z","type":"participant.reconnecting","participant":"son-phu","cause":"websocket closed"})",
           R"({"at":"2026-12-01T01:06:20.000Z","type":"participant.reconnected","participant":"son-phu","gapMs":20000})",
           R"({"at":"2026-12-01T01:24:00.000Z","type":"participant.reconnecting","participant":"lang-can"})",
           R"({"at":"2026-12-01T01:24:30.000Z","type":"participant.left","participant":"lang-can","reason":"connection lost","gapMs":30000})",
           R"({"at":"2026-12-01T01:07:00.000Z","type":"link.quality","participant":"son-phu","fractionLost":0.02,"rttMs":100})",
           R"({"at":"2026-12-01T01:08:00.000Z","type":"link.quality","participant":"son-phu","fractionLost":0.06,"rttMs":300})",
       }) {
    log.events.push_back(*parseEventLine(line));
  }
  std::stable_sort(log.events.begin(), log.events.end(),
                   [](const ArchiveEvent& a, const ArchiveEvent& b) { return a.atMs < b.atMs; });
  const Minutes minutes = buildMinutes(test::districtMeeting(), log, storedName);
  std::map<std::string, const SiteAttendance*> sites;
  for (const auto& s : minutes.sites) sites[s.id] = &s;

  const SiteAttendance& sonPhu = *sites.at("son-phu");
  ASSERT_EQ(sonPhu.present.size(), 2u);
  EXPECT_EQ(sonPhu.gaps(), 1u);
  EXPECT_EQ(sonPhu.present[0].leaveReason, "connection lost");
  EXPECT_EQ(sonPhu.presentMs, 27 * 60'000 - 20'000);  // 01:03-01:30 less the 20 s gap
  EXPECT_EQ(sonPhu.connectionLosses, 1);
  EXPECT_EQ(sonPhu.linkSamples, 2);
  EXPECT_NEAR(sonPhu.meanFractionLost, 0.04, 1e-9);
  EXPECT_NEAR(sonPhu.meanRttMs, 200.0, 1e-9);

  const SiteAttendance& langCan = *sites.at("lang-can");
  ASSERT_EQ(langCan.present.size(), 1u);
  EXPECT_EQ(langCan.presentMs, 23 * 60'000);  // absent from the loss at 01:24, not from the window's end
  EXPECT_EQ(langCan.connectionLosses, 1);      // the window's end is the same loss, not a second one
}

TEST_F(MinutesTest, MarkdownIsVietnameseInTheMeetingZoneAndEnglishOnRequest) {
  const auto zone = scheduler::TimeZone::load("Asia/Ho_Chi_Minh");
  ASSERT_TRUE(zone);
  const std::string vi = minutesToMarkdown(minutes_, *zone, MinutesLanguage::Vietnamese);
  EXPECT_NE(vi.find("# Biên bản cuộc họp: Giao ban tháng 12"), std::string::npos) << vi;
  EXPECT_NE(vi.find("Ngày: 2026-12-01"), std::string::npos);
  EXPECT_NE(vi.find("08:00:00 – 08:30:00"), std::string::npos) << vi;  // 01:00Z at +07:00
  EXPECT_NE(vi.find("| Xã Na Hang | 08:02:00–08:10:00; 08:15:00–08:30:00 | 1 | 23.0 |"), std::string::npos) << vi;
  EXPECT_NE(vi.find("- Xã Thượng Lâm"), std::string::npos);
  EXPECT_NE(vi.find("theo thời gian giữ quyền phát biểu"), std::string::npos);
  const std::string en = minutesToMarkdown(minutes_, *zone, MinutesLanguage::English);
  EXPECT_NE(en.find("## Invited but absent"), std::string::npos) << en;
  EXPECT_NE(en.find("08:12:00 Hội trường UBND huyện: mute Xã Lăng Can"), std::string::npos) << en;

  const auto json = minutesToJson(minutes_);
  EXPECT_EQ(json["meeting"]["timeZone"], "Asia/Ho_Chi_Minh");
  EXPECT_EQ(json["sites"][2]["gaps"], 1);
  EXPECT_EQ(json["sites"][4]["absent"], true);
  EXPECT_EQ(json["speakingTimeSource"], "floor");
}

}  // namespace
}  // namespace diemcau::signaling::archive
