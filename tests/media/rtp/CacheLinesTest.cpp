#include "media/rtp/CacheLines.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace diemcau::media {
namespace {

std::uintptr_t lineOf(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t{CacheLines::kLineSize - 1};
}

struct alignas(64) FourLines {
  std::array<uint8_t, 4 * CacheLines::kLineSize> bytes{};
};

TEST(CacheLinesTest, ARangeAddsEveryLineItTouchesOnce) {
  FourLines block;
  CacheLines lines;
  // Bytes 60..130 touch the first three lines of the block.
  lines.add(block.bytes.data() + 60, 71);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines.line(0), lineOf(block.bytes.data()));
  EXPECT_EQ(lines.line(1), lineOf(block.bytes.data() + 64));
  EXPECT_EQ(lines.line(2), lineOf(block.bytes.data() + 128));
  // Lines already held are not added again; a member in the last line is.
  lines.add(block.bytes.data() + 100);
  lines.addObject(block.bytes[200]);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines.line(3), lineOf(block.bytes.data() + 192));
}

TEST(CacheLinesTest, MembersFromTheFirstToTheEndOfTheLast) {
  struct alignas(64) Object {
    uint64_t first = 0;
    std::array<uint8_t, 100> middle{};
    uint32_t last = 0;  // at 108..111: the second line
    std::array<uint8_t, 64> after{};
  } object;
  CacheLines lines;
  lines.addMembers(object.first, object.last);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines.line(0), lineOf(&object));
  EXPECT_EQ(lines.line(1), lineOf(reinterpret_cast<const uint8_t*>(&object) + 64));
}

TEST(CacheLinesTest, NullIsIgnoredAndASizeOfZeroIsOneByte) {
  FourLines block;
  CacheLines lines;
  lines.add(nullptr, 4096);
  EXPECT_EQ(lines.size(), 0u);
  lines.add(block.bytes.data() + 63, 0);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines.line(0), lineOf(block.bytes.data()));
}

TEST(CacheLinesTest, HoldsAtMostItsCapacityAndClears) {
  std::array<uint8_t, (CacheLines::kMaxLines + 4) * CacheLines::kLineSize> big{};
  CacheLines lines;
  lines.add(big.data(), big.size());
  EXPECT_EQ(lines.size(), CacheLines::kMaxLines);
  lines.prefetch();  // only hints: nothing to observe but that it neither faults nor changes the list
  EXPECT_EQ(lines.size(), CacheLines::kMaxLines);
  lines.clear();
  EXPECT_EQ(lines.size(), 0u);
  // A prefetch of a line no object holds any more is harmless too.
  lines.add(reinterpret_cast<const void*>(std::uintptr_t{64}));
  lines.prefetch();
  CacheLines::prefetchMembers(big.front(), big.back());
}

}  // namespace
}  // namespace diemcau::media
