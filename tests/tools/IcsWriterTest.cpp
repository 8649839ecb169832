#include "tools/diemcauctl/IcsWriter.hpp"

#include <gtest/gtest.h>

namespace diemcau::tools::ctl {
namespace {

TEST(IcsWriterTest, EscapesText) {
  EXPECT_EQ(escapeIcsText("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
}

TEST(IcsWriterTest, FoldsAt75OctetsWithoutSplittingUtf8) {
  std::string line = "SUMMARY:";
  for (int i = 0; i < 40; ++i) line += "ă";  // 2 octets each
  auto folded = foldIcsLine(line);
  std::size_t start = 0;
  bool first = true;
  while (start < folded.size()) {
    auto end = folded.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 75u);
    if (!first) {
      EXPECT_EQ(folded[start], ' ');
      // A continuation never starts inside a multi-byte sequence.
      EXPECT_NE(static_cast<unsigned char>(folded[start + 1]) & 0xc0, 0x80);
    }
    first = false;
    start = end + 2;
  }
  std::string unfolded;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded.compare(i, 3, "\r\n ") == 0) {
      i += 2;
    } else if (folded.compare(i, 2, "\r\n") == 0) {
      ++i;
    } else {
      unfolded += folded[i];
    }
  }
  EXPECT_EQ(unfolded, line);
}

TEST(IcsWriterTest, WritesAnEventWithCrlfOnly) {
  IcsEvent e;
  e.uid = "m-1-lang-can@diemcau";
  e.summary = "Giao ban, tuần 48";
  e.location = "Xã Lăng Can";
  e.url = "https://hop.example/?token=abc";
  e.start = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours{1};
  e.end = e.start + std::chrono::minutes{90};
  e.stamp = e.start;
  e.rrule = "FREQ=WEEKLY;BYDAY=MO";
  auto ics = writeIcs(e);
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(ics.find("DTSTART:20261201T010000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND:20261201T023000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:Giao ban\\, tuần 48\r\n"), std::string::npos);
  EXPECT_NE(ics.find("RRULE:FREQ=WEEKLY;BYDAY=MO\r\n"), std::string::npos);
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      EXPECT_EQ(ics[i - 1], '\r') << "bare LF at " << i;
    }
  }
}

TEST(IcsWriterTest, SeriesInAZoneUsesLocalTimesAndAVTimezone) {
  using namespace std::chrono;
  IcsEvent e;
  e.uid = "m-1-lang-can@diemcau";
  e.summary = "Giao ban";
  // Monday 1 March 2027 09:00 in Berlin (UTC+1) = 08:00 UTC; summer time starts 28 March 01:00 UTC.
  e.start = sys_days{year{2027} / 3 / 1} + hours{8};
  e.end = e.start + minutes{60};
  e.stamp = e.start;
  e.rrule = "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270531T070000Z";
  e.zone =
      IcsZone{"Europe/Berlin", hours{1}, {{sys_days{year{2027} / 3 / 28} + hours{1}, hours{1}, hours{2}}}};
  auto ics = writeIcs(e);
  EXPECT_NE(ics.find("DTSTART;TZID=Europe/Berlin:20270301T090000\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("DTEND;TZID=Europe/Berlin:20270301T100000\r\n"), std::string::npos) << ics;
  // The zone comes before the event that names it, with the offset before and the change at 02:00 local.
  auto zone = ics.find("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n");
  ASSERT_NE(zone, std::string::npos) << ics;
  EXPECT_LT(zone, ics.find("BEGIN:VEVENT"));
  EXPECT_NE(
      ics.find("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\n"),
      std::string::npos)
      << ics;
  EXPECT_NE(ics.find("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
                     "END:DAYLIGHT\r\n"),
            std::string::npos)
      << ics;
  EXPECT_EQ(ics.find("DTSTART:2027030"), std::string::npos) << "no UTC start beside the zoned one";
}

TEST(IcsWriterTest, OffsetsWithSecondsAndBelowUtc) {
  using namespace std::chrono;
  IcsEvent e;
  e.start = sys_days{year{2026} / 12 / 1} + hours{12};
  e.end = e.start + hours{1};
  e.zone = IcsZone{"America/Caracas", -hours{4} - minutes{30}, {}};
  auto ics = writeIcs(e);
  EXPECT_NE(ics.find("TZOFFSETTO:-0430\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("DTSTART;TZID=America/Caracas:20261201T073000\r\n"), std::string::npos) << ics;
  e.zone = IcsZone{"Africa/Monrovia", -minutes{44} - seconds{30}, {}};
  EXPECT_NE(writeIcs(e).find("TZOFFSETTO:-004430\r\n"), std::string::npos);
}

}  // namespace
}  // namespace diemcau::tools::ctl
