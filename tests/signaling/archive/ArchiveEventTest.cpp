#include "signaling/archive/ArchiveEvent.hpp"

#include <gtest/gtest.h>

namespace diemcau::signaling::archive {
namespace {

TEST(ArchiveEvent, ParsesAndFormatsUtcMillis) {
  EXPECT_EQ(parseUtcMillis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseUtcMillis("1970-01-02T00:00:01.250Z"), 86401250);
  const auto at = parseUtcMillis("2026-12-01T01:41:02.001Z");
  ASSERT_TRUE(at);
  EXPECT_EQ(formatUtcMillis(*at), "2026-12-01T01:41:02.001Z");
  for (const char* bad : {"", "2026-12-01", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01T24:00:00Z",
                          "2026-12-01T01:00:00.12Z", "2026-12-01T01:00:00+07:00", "2026-12-01 01:00:00Z"}) {
    EXPECT_FALSE(parseUtcMillis(bad)) << bad;
  }
}

TEST(ArchiveEvent, LineNeedsAtAndType) {
  EXPECT_TRUE(parseEventLine(R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"})"));
  EXPECT_FALSE(parseEventLine(R"({"type":"room.created"})"));
  EXPECT_FALSE(parseEventLine(R"({"at":"yesterday","type":"room.created"})"));
  EXPECT_FALSE(parseEventLine(R"({"at":"2026-12-01T01:00:00.000Z","type":7})"));
  EXPECT_FALSE(parseEventLine(R"([1,2])"));
  EXPECT_FALSE(parseEventLine(R"({"at":"2026-12-01T01:00:00.000Z","type":"chat","text":"cut)"));
  EXPECT_FALSE(parseEventLine(std::string(300 * 1024, ' ')));
}

}  // namespace
}  // namespace diemcau::signaling::archive
