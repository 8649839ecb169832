#include "signaling/tokens/TokenService.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "signaling/tokens/Base64Url.hpp"

namespace diemcau::signaling::tokens {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

const sys_seconds kNow{std::chrono::seconds{1'796'000'000}};

class TokenServiceTest : public ::testing::Test {
 protected:
  JoinClaims claims() const {
    return JoinClaims{"mtg-1", "lang-can", Role::Site, kNow - 10min, kNow + 2h, ""};
  }

  std::set<std::string> revoked_;
  TokenService service_{SigningKeys::generate(),
                        [this](const std::string& id) { return revoked_.count(id) > 0; }};
};

TEST_F(TokenServiceTest, IssuedTokenVerifies) {
  auto token = service_.issue(claims(), kNow);
  auto result = service_.verifyJoinToken(token, kNow);
  ASSERT_TRUE(result.ok()) << toString(result.error());
  EXPECT_EQ(result.claims().meetingId, "mtg-1");
  EXPECT_EQ(result.claims().siteId, "lang-can");
  EXPECT_EQ(result.claims().role, Role::Site);
  EXPECT_EQ(result.claims().notBefore, kNow - 10min);
  EXPECT_EQ(result.claims().expiry, kNow + 2h);
  EXPECT_EQ(result.claims().tokenId.size(), 24u);
}

TEST_F(TokenServiceTest, HeaderIsStandardHs256) {
  auto token = service_.issue(claims(), kNow);
  auto header = base64UrlDecode(token.substr(0, token.find('.')));
  ASSERT_TRUE(header);
  EXPECT_NE(header->find("\"alg\":\"HS256\""), std::string::npos);
  EXPECT_NE(header->find("\"typ\":\"JWT\""), std::string::npos);
}

TEST_F(TokenServiceTest, ExpiryIsExclusive) {
  auto token = service_.issue(claims(), kNow);
  EXPECT_TRUE(service_.verifyJoinToken(token, kNow + 2h - 1s).ok());
  auto result = service_.verifyJoinToken(token, kNow + 2h);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), TokenError::Expired);
}

TEST_F(TokenServiceTest, NotBeforeIsEnforced) {
  auto token = service_.issue(claims(), kNow);
  auto early = service_.verifyJoinToken(token, kNow - 10min - 1s);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error(), TokenError::NotYetValid);
  EXPECT_TRUE(service_.verifyJoinToken(token, kNow - 10min).ok());
}

TEST_F(TokenServiceTest, WrongKeyIsBadSignature) {
  TokenService other(SigningKeys::generate(), nullptr);
  auto token = other.issue(claims(), kNow);
  auto result = service_.verifyJoinToken(token, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), TokenError::BadSignature);
}

TEST_F(TokenServiceTest, TamperedPayloadIsBadSignature) {
  auto token = service_.issue(claims(), kNow);
  auto first = token.find('.');
  auto last = token.rfind('.');
  auto payload = *base64UrlDecode(token.substr(first + 1, last - first - 1));
  auto pos = payload.find("\"role\":\"site\"");
  ASSERT_NE(pos, std::string::npos);
  payload.replace(pos, 13, "\"role\":\"host\"");
  auto forged = token.substr(0, first + 1) + base64UrlEncode(payload) + token.substr(last);
  auto result = service_.verifyJoinToken(forged, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), TokenError::BadSignature);
}

TEST_F(TokenServiceTest, AlgNoneIsRefused) {
  auto token = service_.issue(claims(), kNow);
  auto rest = token.substr(token.find('.'));
  auto none =
      base64UrlEncode(R"({"alg":"none","typ":"JWT","kid":"x"})") + rest.substr(0, rest.rfind('.') + 1);
  auto result = service_.verifyJoinToken(none, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), TokenError::Malformed);
}

TEST_F(TokenServiceTest, GarbageIsMalformed) {
  const std::vector<std::string> inputs{
      "", "abc", "a.b", "a.b.c.d", "...", "!!.??.**", std::string(5000, 'a')};
  for (const auto& bad : inputs) {
    auto result = service_.verifyJoinToken(bad, kNow);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error(), TokenError::Malformed) << bad;
  }
}

TEST_F(TokenServiceTest, RevokedTokenIsRefused) {
  auto token = service_.issue(claims(), kNow);
  auto id = service_.readSigned(token)->tokenId;
  revoked_.insert(id);
  auto result = service_.verifyJoinToken(token, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), TokenError::Revoked);
  // Another token for the same site is not affected.
  EXPECT_TRUE(service_.verifyJoinToken(service_.issue(claims(), kNow), kNow).ok());
}

TEST_F(TokenServiceTest, RotationKeepsPreviousKeyForVerification) {
  auto before = service_.issue(claims(), kNow);
  service_.rotateKey();
  auto after = service_.issue(claims(), kNow);
  EXPECT_TRUE(service_.verifyJoinToken(before, kNow).ok());
  EXPECT_TRUE(service_.verifyJoinToken(after, kNow).ok());
  service_.rotateKey();
  // Two rotations later the first key is gone.
  auto result = service_.verifyJoinToken(before, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), TokenError::BadSignature);
  EXPECT_TRUE(service_.verifyJoinToken(after, kNow).ok());
}

}  // namespace
}  // namespace diemcau::signaling::tokens
