#include "media/ice/IceCandidateSdp.hpp"

#include <gtest/gtest.h>

#include <string>

namespace diemcau::media {
namespace {

class IceCandidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = g_main_context_new();
    agent_.reset(nice_agent_new_full(context_, NICE_COMPATIBILITY_RFC5245, NICE_AGENT_OPTION_ICE_TRICKLE));
    stream_ = nice_agent_add_stream(agent_.get(), 1);
  }
  void TearDown() override {
    agent_.reset();
    g_main_context_unref(context_);
  }
  GMainContext* context_ = nullptr;
  NiceAgentPtr agent_;
  guint stream_ = 0;
};

TEST_F(IceCandidateTest, ParsesWellFormedCandidatesWithOrWithoutAttributePrefix) {
  auto host = IceCandidateSdp::parse(agent_.get(), stream_, "candidate:1 1 UDP 2013266431 192.0.2.10 50000 typ host");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->type, NICE_CANDIDATE_TYPE_HOST);
  EXPECT_EQ(host->transport, NICE_CANDIDATE_TRANSPORT_UDP);
  EXPECT_EQ(nice_address_get_port(&host->addr), 50000u);
  EXPECT_EQ(host->priority, 2013266431u);

  auto srflx = IceCandidateSdp::parse(agent_.get(), stream_,
                                      "a=candidate:2 1 udp 1677729535 198.51.100.4 61000 typ srflx raddr 10.0.0.2 "
                                      "rport 50000\r\n");
  ASSERT_TRUE(srflx);
  EXPECT_EQ(srflx->type, NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE);

  auto tcp = IceCandidateSdp::parse(agent_.get(), stream_,
                                    "candidate:3 1 TCP 1015022079 192.0.2.10 9 typ host tcptype active");
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->transport, NICE_CANDIDATE_TRANSPORT_TCP_ACTIVE);
}

TEST_F(IceCandidateTest, RejectsMalformedCandidates) {
  const std::string bad[] = {
      "",
      "candidate:",
      "garbage",
      "a=",
      "candidate:1 1 UDP 2013266431 999.1.1.1 5000 typ host",        // not an address
      "candidate:1 1 UDP 2013266431 192.0.2.1 5000 typ nonsense",    // unknown type
      "candidate:1 1 UDP 2013266431 192.0.2.1",                      // truncated
      "candidate:1 2 UDP 2013266431 192.0.2.1 5000 typ host",        // rtcp component: we mux
      "candidate:1 1 SCTP 2013266431 192.0.2.1 5000 typ host",       // unknown transport
      "candidate:1 1 UDP 2013266431 3c4e1b1e-1a2b.local 5000 typ host",  // mDNS name, unresolved
      std::string("candidate:1 1 UDP 1 192.0.2.1 5000 typ host\0trailer", 52),
      "candidate:1 1 UDP 2013266431 192.0.2.1 5000 typ host " + std::string(600, 'x'),
  };
  for (const auto& candidate : bad) {
    EXPECT_FALSE(IceCandidateSdp::parse(agent_.get(), stream_, candidate)) << candidate;
  }
}

TEST_F(IceCandidateTest, WritesWhatItParsesAndRewritesHostAddress) {
  auto host = IceCandidateSdp::parse(agent_.get(), stream_, "candidate:1 1 UDP 2013266431 192.0.2.10 50000 typ host");
  ASSERT_TRUE(host);
  EXPECT_EQ(IceCandidateSdp::write(agent_.get(), *host, nullptr), "candidate:1 1 UDP 2013266431 192.0.2.10 50000 typ host");

  NiceAddress announced;
  nice_address_init(&announced);
  ASSERT_TRUE(nice_address_set_from_string(&announced, "203.0.113.9"));
  EXPECT_EQ(IceCandidateSdp::write(agent_.get(), *host, &announced),
            "candidate:1 1 UDP 2013266431 203.0.113.9 50000 typ host");

  NiceAddress announced6;
  nice_address_init(&announced6);
  ASSERT_TRUE(nice_address_set_from_string(&announced6, "2001:db8::1"));
  // Another family: left alone rather than announcing an address the socket cannot serve.
  EXPECT_EQ(IceCandidateSdp::write(agent_.get(), *host, &announced6),
            "candidate:1 1 UDP 2013266431 192.0.2.10 50000 typ host");
}

}  // namespace
}  // namespace diemcau::media
