#include "signaling/tokens/Base64Url.hpp"

#include <gtest/gtest.h>

namespace diemcau::signaling::tokens {
namespace {

TEST(Base64UrlTest, EncodesRfc4648Vectors) {
  // RFC 4648 section 10 vectors, padding removed.
  EXPECT_EQ(base64UrlEncode(""), "");
  EXPECT_EQ(base64UrlEncode("f"), "Zg");
  EXPECT_EQ(base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(base64UrlEncode("foobar"), "Zm9vYmFy");
  // 0xfb 0xff uses the url alphabet's '-' and '_' where base64 has '+' and '/'.
  EXPECT_EQ(base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64UrlTest, RoundTripsAllLengths) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    EXPECT_EQ(base64UrlDecode(base64UrlEncode(bytes)), bytes) << i;
    bytes += static_cast<char>(i * 37);
  }
}

TEST(Base64UrlTest, RejectsNonCanonicalInput) {
  EXPECT_FALSE(base64UrlDecode("Zg=="));  // padding
  EXPECT_FALSE(base64UrlDecode("Z"));     // 1 mod 4
  EXPECT_FALSE(base64UrlDecode("Zm9+"));  // '+' is not url-safe
  EXPECT_FALSE(base64UrlDecode("Zh"));    // trailing bits set: "Zg" is the only spelling of "f"
  EXPECT_EQ(base64UrlDecode("Zg"), "f");
}

}  // namespace
}  // namespace diemcau::signaling::tokens
