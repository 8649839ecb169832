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

}  // namespace
}  // namespace diemcau::tools::ctl
