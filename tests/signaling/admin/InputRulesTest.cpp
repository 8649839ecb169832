#include "signaling/admin/InputRules.hpp"

#include <gtest/gtest.h>

namespace diemcau::signaling::admin {
namespace {

TEST(InputRulesTest, Utf8) {
  EXPECT_TRUE(isValidUtf8("Hội trường UBND huyện"));
  EXPECT_TRUE(isValidUtf8("\xf0\x9f\x93\xb9"));   // U+1F4F9
  EXPECT_FALSE(isValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(isValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(isValidUtf8("X\xff"));
}

TEST(InputRulesTest, Slugs) {
  EXPECT_TRUE(isSlug("lang-can"));
  EXPECT_TRUE(isSlug("xa1"));
  EXPECT_FALSE(isSlug(""));
  EXPECT_FALSE(isSlug("-x"));
  EXPECT_FALSE(isSlug("Lang-Can"));
  EXPECT_FALSE(isSlug("lăng"));
  EXPECT_FALSE(isSlug(std::string(64, 'a')));
}

}  // namespace
}  // namespace diemcau::signaling::admin
