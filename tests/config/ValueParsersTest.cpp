#include "config/ValueParsers.hpp"

#include <gtest/gtest.h>

namespace diemcau::config {
namespace {

TEST(ValueParsers, ListenAddressIpv4AndIpv6) {
  const auto v4 = parseListenAddress("0.0.0.0:443");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "0.0.0.0");
  EXPECT_EQ(v4->port, 443);
  const auto v6 = parseListenAddress("[::1]:8080");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->toString(), "[::1]:8080");
}

TEST(ValueParsers, ListenAddressRejectsMalformed) {
  for (const char* text : {"", "8080", "localhost:80", "::1:8080", "[::1]8080", "[127.0.0.1]:80",
                           "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:80x", "[::1:80"}) {
    EXPECT_FALSE(parseListenAddress(text)) << text;
  }
}

TEST(ValueParsers, PortRange) {
  const auto range = parsePortRange("40000-40999");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 40000);
  EXPECT_EQ(range->last, 40999);
  EXPECT_EQ(range->size(), 1000u);
  EXPECT_FALSE(parsePortRange("41000-40000"));
  EXPECT_FALSE(parsePortRange("80-90"));
  EXPECT_FALSE(parsePortRange("40000"));
  EXPECT_FALSE(parsePortRange("40000-70000"));
}

TEST(ValueParsers, IntegersBooleansLevelsLists) {
  EXPECT_EQ(parseBoundedInteger("17", 1, 256), 17u);
  EXPECT_FALSE(parseBoundedInteger("0", 1, 256));
  EXPECT_FALSE(parseBoundedInteger("-3", 0, 256));
  EXPECT_FALSE(parseBoundedInteger("99999999999999999999999", 0, 256));
  EXPECT_EQ(parseBoolean("Yes"), true);
  EXPECT_EQ(parseBoolean("off"), false);
  EXPECT_FALSE(parseBoolean("maybe"));
  EXPECT_TRUE(isLogLevel("warn"));
  EXPECT_FALSE(isLogLevel("verbose"));
  EXPECT_EQ(splitList(" 10.0.0.1, ,192.168.1.2 "), (std::vector<std::string>{"10.0.0.1", "192.168.1.2"}));
}

}  // namespace
}  // namespace diemcau::config
