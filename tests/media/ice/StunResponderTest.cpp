#include "media/ice/StunResponder.hpp"

#include <gtest/gtest.h>
#include <stun/stunagent.h>
#include <stun/usages/ice.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace diemcau::media {
namespace {

constexpr std::string_view kUfrag = "liteUfrg";
constexpr std::string_view kPwd = "0123456789abcdefghijklmn";

struct Directory {
  int owner = 0;
  std::string ufrag{kUfrag};
  std::string pwd{kPwd};
};

StunResponder::Credentials lookup(void* context, std::string_view ufrag) {
  auto* directory = static_cast<Directory*>(context);
  if (ufrag != directory->ufrag) return {};
  return {&directory->owner, directory->pwd};
}

sockaddr_storage source(socklen_t& length) {
  sockaddr_storage storage{};
  auto* in = reinterpret_cast<sockaddr_in*>(&storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(50123);
  inet_pton(AF_INET, "192.0.2.33", &in->sin_addr);
  length = sizeof(sockaddr_in);
  return storage;
}

// The peer's side: a full agent's StunAgent writing checks and reading our answers, as libnice does.
class StunResponderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stun_agent_init(&peer_, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                    static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                     STUN_AGENT_USAGE_USE_FINGERPRINT));
    from_ = source(fromLength_);
  }
  std::vector<uint8_t> check(std::string_view username, std::string_view pwd, bool useCandidate, bool controlling) {
    std::vector<uint8_t> buffer(1024);
    StunMessage message;
    const size_t length = stun_usage_ice_conncheck_create(
        &peer_, &message, buffer.data(), buffer.size(), reinterpret_cast<const uint8_t*>(username.data()),
        username.size(), reinterpret_cast<const uint8_t*>(pwd.data()), pwd.size(), useCandidate, controlling,
        0x6e0001ff, 0x1122334455667788ull, nullptr, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
    buffer.resize(length);
    return buffer;
  }
  StunResponder::Outcome answer(const std::vector<uint8_t>& request) {
    return responder_.handle(request.data(), request.size(), from_, fromLength_, &lookup, &directory_, reply_);
  }
  // Validates our reply at the peer (transaction id, integrity keyed by `pwd`, fingerprint).
  StunValidationStatus readReply(size_t length, StunMessage& message, std::string_view pwd) {
    struct Key {
      std::string_view pwd;
    } key{pwd};
    auto validater = [](StunAgent*, StunMessage*, uint8_t*, uint16_t, uint8_t** password, size_t* passwordLength,
                        void* data) {
      auto* k = static_cast<Key*>(data);
      *password = reinterpret_cast<uint8_t*>(const_cast<char*>(k->pwd.data()));
      *passwordLength = k->pwd.size();
      return true;
    };
    return stun_agent_validate(&peer_, &message, reply_.data(), length, validater, &key);
  }
  int errorCode(size_t length) {
    // Zeroed, with an agent: libnice's attribute walk reads msg->agent for its compatibility rules.
    StunMessage message{};
    message.agent = &peer_;
    message.buffer = reply_.data();
    message.buffer_len = length;
    int code = 0;
    if (stun_message_find_error(&message, &code) != STUN_MESSAGE_RETURN_SUCCESS) return -1;
    return code;
  }

  StunAgent peer_{};
  StunResponder responder_;
  Directory directory_;
  std::array<uint8_t, StunResponder::kMaxReply> reply_{};
  sockaddr_storage from_{};
  socklen_t fromLength_ = 0;
};

TEST_F(StunResponderTest, AnswersAValidCheckWithTheSourceAsXorMappedAddress) {
  const auto request = check("liteUfrg:fullUfrg", kPwd, /*useCandidate=*/true, /*controlling=*/true);
  ASSERT_GT(request.size(), 20u);
  const auto outcome = answer(request);
  ASSERT_EQ(outcome.verdict, StunResponder::Verdict::Accepted);
  EXPECT_EQ(outcome.owner, &directory_.owner);
  EXPECT_TRUE(outcome.useCandidate);
  EXPECT_EQ(outcome.priority, 0x6e0001ffu);  // the check's PRIORITY, for RFC 8445 §8.1.1 selection
  ASSERT_GT(outcome.replyLength, 20u);
  StunMessage response;
  // The peer accepts it: same transaction, MESSAGE-INTEGRITY keyed by our pwd, FINGERPRINT.
  ASSERT_EQ(readReply(outcome.replyLength, response, kPwd), STUN_VALIDATION_SUCCESS);
  EXPECT_EQ(stun_message_get_class(&response), STUN_RESPONSE);
  sockaddr_storage mapped{};
  socklen_t mappedLength = sizeof mapped;
  ASSERT_EQ(stun_usage_ice_conncheck_process(&response, &mapped, &mappedLength, STUN_USAGE_ICE_COMPATIBILITY_RFC5245),
            STUN_USAGE_ICE_RETURN_SUCCESS);
  const auto* in = reinterpret_cast<const sockaddr_in*>(&mapped);
  const auto* expected = reinterpret_cast<const sockaddr_in*>(&from_);
  EXPECT_EQ(in->sin_port, expected->sin_port);
  EXPECT_EQ(in->sin_addr.s_addr, expected->sin_addr.s_addr);
}

TEST_F(StunResponderTest, ACheckWithoutUseCandidateIsNotANomination) {
  const auto outcome = answer(check("liteUfrg:fullUfrg", kPwd, false, true));
  EXPECT_EQ(outcome.verdict, StunResponder::Verdict::Accepted);
  EXPECT_FALSE(outcome.useCandidate);
}

TEST_F(StunResponderTest, WrongPasswordGets401WithoutIntegrity) {
  const auto outcome = answer(check("liteUfrg:fullUfrg", "not-the-password-at-all!", true, true));
  EXPECT_EQ(outcome.verdict, StunResponder::Verdict::Rejected);
  EXPECT_EQ(outcome.owner, nullptr);
  ASSERT_GT(outcome.replyLength, 0u);
  EXPECT_EQ(errorCode(outcome.replyLength), 401);
}

TEST_F(StunResponderTest, UnknownUfragGets401) {
  for (std::string_view username : {"someoneElse:fullUfrg", "liteUfrg", ":liteUfrg", "liteUfrgX:full"}) {
    const auto outcome = answer(check(username, kPwd, true, true));
    EXPECT_EQ(outcome.verdict, StunResponder::Verdict::Rejected) << username;
    EXPECT_EQ(errorCode(outcome.replyLength), 401) << username;
  }
}

TEST_F(StunResponderTest, APeerThatAlsoClaimsControlledGets487AndIsNotAccepted) {
  const auto outcome = answer(check("liteUfrg:fullUfrg", kPwd, false, /*controlling=*/false));
  EXPECT_EQ(outcome.verdict, StunResponder::Verdict::Rejected);
  ASSERT_GT(outcome.replyLength, 0u);
  StunMessage response;
  // RFC 8445 §7.3.1.1: the 487 is authenticated, so the peer trusts it and switches role.
  ASSERT_EQ(readReply(outcome.replyLength, response, kPwd), STUN_VALIDATION_SUCCESS);
  EXPECT_EQ(stun_message_get_class(&response), STUN_ERROR);
  EXPECT_EQ(errorCode(outcome.replyLength), 487);
}

// RFC 5769 §2.1, the sample request: ufrag "evtj", pwd "VOkJxbRl1RmTxUk/WvJxBt". It carries
// ICE-CONTROLLED, so an ICE-lite agent (controlled too) answers 487 Role Conflict, integrity-protected.
TEST_F(StunResponderTest, Rfc5769SampleRequestIsAuthenticatedAndMeetsARoleConflict) {
  const std::vector<uint8_t> sample = {
      0x00, 0x01, 0x00, 0x58,  // Binding request, 88 bytes of attributes
      0x21, 0x12, 0xa4, 0x42,  // magic cookie
      0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,  // transaction id
      0x80, 0x22, 0x00, 0x10,  // SOFTWARE, 16 bytes
      0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74,
      0x00, 0x24, 0x00, 0x04,  // PRIORITY
      0x6e, 0x00, 0x01, 0xff,
      0x80, 0x29, 0x00, 0x08,  // ICE-CONTROLLED, tie-breaker
      0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36,
      0x00, 0x06, 0x00, 0x09,  // USERNAME "evtj:h6vY" + 3 bytes of padding
      0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76, 0x59, 0x20, 0x20, 0x20,
      0x00, 0x08, 0x00, 0x14,  // MESSAGE-INTEGRITY (HMAC-SHA1)
      0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71,
      0xa2,
      0x80, 0x28, 0x00, 0x04,  // FINGERPRINT (CRC-32 ^ 0x5354554e)
      0xe5, 0x7a, 0x3b, 0xcf,
  };
  directory_.ufrag = "evtj";
  directory_.pwd = "VOkJxbRl1RmTxUk/WvJxBt";
  auto outcome = answer(sample);
  EXPECT_EQ(outcome.verdict, StunResponder::Verdict::Rejected);
  EXPECT_EQ(errorCode(outcome.replyLength), 487);
  // One flipped bit of the HMAC also breaks the FINGERPRINT (a CRC over everything before it),
  // which is checked first: 400, the message is not even well-formed STUN for ICE.
  auto tampered = sample;
  tampered[88] ^= 0x01;
  outcome = answer(tampered);
  EXPECT_EQ(outcome.verdict, StunResponder::Verdict::Rejected);
  EXPECT_EQ(errorCode(outcome.replyLength), 400);
  // Intact, but our password for "evtj" is another one: 401.
  directory_.pwd = "VOkJxbRl1RmTxUk/WvJxBu";
  outcome = answer(sample);
  EXPECT_EQ(outcome.verdict, StunResponder::Verdict::Rejected);
  EXPECT_EQ(errorCode(outcome.replyLength), 401);
}

TEST_F(StunResponderTest, IndicationsAndResponsesAreIgnored) {
  auto request = check("liteUfrg:fullUfrg", kPwd, true, true);
  auto indication = request;
  indication[1] = 0x11;  // Binding indication (class bits 01)
  EXPECT_EQ(answer(indication).verdict, StunResponder::Verdict::Ignored);
  auto response = request;
  response[0] = 0x01;  // Binding success response (class bits 10)
  response[1] = 0x01;
  const auto outcome = answer(response);
  EXPECT_EQ(outcome.verdict, StunResponder::Verdict::Ignored);
  EXPECT_EQ(outcome.replyLength, 0u);
}

TEST_F(StunResponderTest, EveryTruncationOfAValidCheckIsRejected) {
  const auto request = check("liteUfrg:fullUfrg", kPwd, true, true);
  for (size_t n = 0; n < request.size(); ++n) {
    // An exact-size copy, so a read past the end is an ASan report.
    std::vector<uint8_t> cut(request.begin(), request.begin() + static_cast<std::ptrdiff_t>(n));
    const auto outcome = responder_.handle(cut.data(), cut.size(), from_, fromLength_, &lookup, &directory_, reply_);
    EXPECT_NE(outcome.verdict, StunResponder::Verdict::Accepted) << n;
  }
}

}  // namespace
}  // namespace diemcau::media
