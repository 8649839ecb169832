#include "media/srtp/GcmRtpUnprotector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <random>
#include <vector>

#include "media/rtp/CacheLines.hpp"
#include "media/srtp/GcmRtpProtector.hpp"
#include "media/srtp/SrtpError.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/srtp/SrtpSession.hpp"
#include "tests/media/srtp/LibsrtpReference.hpp"

namespace diemcau::media {
namespace {

// RTP with one CSRC and a one-byte header extension block (RFC 3550 §5.1, RFC 8285 §4.2): the
// header up to the payload is authenticated in the clear (RFC 7714 §8.2).
const std::vector<uint8_t> kRtp = {
    0x91, 0x60, 0x00, 0x01,  // V=2, X=1, CC=1, PT=96, seq=1
    0x00, 0x01, 0x5f, 0x90,  // timestamp=90000
    0x11, 0x22, 0x33, 0x44,  // SSRC
    0x00, 0x00, 0x00, 0x07,  // CSRC
    0xbe, 0xde, 0x00, 0x01,  // one-byte extension profile, 1 word
    0x10, 0x7f, 0x00, 0x00,  // id=1 len=1 value=0x7f, padding
    0x90, 0x00, 0x01, 0x02,  // VP8 payload descriptor + payload
    0x03, 0x04, 0x05, 0x06,  // payload
};
constexpr std::size_t kHeader = 24;

std::vector<uint8_t> gcmKey(uint8_t seed) {
  std::vector<uint8_t> key(GcmRtpProtector::kMasterKeyLength + GcmRtpProtector::kMasterSaltLength);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(seed * 31 + i * 5);
  return key;
}

std::vector<uint8_t> rtp(uint32_t ssrc, uint16_t seq) {
  auto packet = kRtp;
  packet[2] = static_cast<uint8_t>(seq >> 8);
  packet[3] = static_cast<uint8_t>(seq);
  packet[8] = static_cast<uint8_t>(ssrc >> 24);
  packet[9] = static_cast<uint8_t>(ssrc >> 16);
  packet[10] = static_cast<uint8_t>(ssrc >> 8);
  packet[11] = static_cast<uint8_t>(ssrc);
  packet.back() = static_cast<uint8_t>(seq);  // a payload that differs per packet
  return packet;
}

// libsrtp2 with the policy SrtpSession gave it before the OpenSSL path: the reference.
class Libsrtp : public test::LibsrtpReference {
 public:
  Libsrtp(std::vector<uint8_t> keySalt, bool inbound)
      : LibsrtpReference(std::move(keySalt), inbound ? Direction::Inbound : Direction::Outbound) {}
};

SrtpResult unprotectWith(GcmRtpUnprotector& ours, std::vector<uint8_t>& packet) {
  std::size_t len = packet.size();
  const SrtpResult result = ours.unprotect(packet.data(), len);
  if (result == SrtpResult::Ok) {
    EXPECT_EQ(len + GcmRtpUnprotector::kTagLength, packet.size());
    packet.resize(len);
  } else {
    EXPECT_EQ(len, packet.size()) << "a refused packet keeps its length";
  }
  return result;
}

// Feeds the same SRTP bytes to libsrtp and to ours; both must decide alike and, when they
// accept, give the same plain packet.
class Twin {
 public:
  explicit Twin(const std::vector<uint8_t>& key) : reference_(key, true), ours_(key) {}
  SrtpResult feed(const std::vector<uint8_t>& srtp, const std::string& what) {
    auto a = srtp;
    auto b = srtp;
    const SrtpResult expected = reference_.unprotect(a);
    const SrtpResult got = unprotectWith(ours_, b);
    EXPECT_EQ(got, expected) << what << ": ours " << toString(got) << ", libsrtp " << toString(expected);
    if (got == SrtpResult::Ok && expected == SrtpResult::Ok) {
      EXPECT_EQ(b, a) << what;
    }
    return got;
  }
  GcmRtpUnprotector& ours() { return ours_; }

 private:
  Libsrtp reference_;
  GcmRtpUnprotector ours_;
};

class GcmRtpUnprotectorTest : public ::testing::Test {
 protected:
  SrtpLibrary library_;
};

TEST_F(GcmRtpUnprotectorTest, DecryptsLibsrtpPacketsAcrossASequenceWrap) {
  const auto key = gcmKey(1);
  Libsrtp sender(key, false);
  GcmRtpUnprotector ours(key);
  // 65530..65535, the wrap to ROC 1 (RFC 3711 §3.3.1), on to 20; 65534 arrives late, after the wrap.
  std::vector<uint16_t> order;
  for (uint16_t seq = 65530; seq != 21; ++seq) {
    if (seq != 65534) order.push_back(seq);
    if (seq == 3) order.push_back(65534);
  }
  std::vector<std::vector<uint8_t>> protectedBySeq(65536);
  for (uint16_t seq = 65530; seq != 21; ++seq) protectedBySeq[seq] = sender.protect(rtp(0x11223344, seq));
  for (const uint16_t seq : order) {
    auto packet = protectedBySeq[seq];
    ASSERT_EQ(unprotectWith(ours, packet), SrtpResult::Ok) << "seq " << seq;
    EXPECT_EQ(packet, rtp(0x11223344, seq)) << "seq " << seq;
  }
}

TEST_F(GcmRtpUnprotectorTest, DecryptsGcmRtpProtectorPacketsAcrossASequenceWrap) {
  const auto key = gcmKey(2);
  GcmRtpProtector sender(key);
  GcmRtpUnprotector ours(key);
  // Starting above 2^15 as browsers do (a random first sequence number), through the wrap.
  for (uint32_t i = 0; i < 40000; i += 7) {
    const auto seq = static_cast<uint16_t>(40000 + i);
    const auto plain = rtp(0xabcdef01, seq);
    auto packet = plain;
    std::size_t len = packet.size();
    packet.resize(len + GcmRtpProtector::kTagLength);
    ASSERT_EQ(sender.protect(packet.data(), len, packet.size()), SrtpResult::Ok);
    ASSERT_EQ(unprotectWith(ours, packet), SrtpResult::Ok) << "seq " << seq;
    EXPECT_EQ(packet, plain);
  }
}

TEST_F(GcmRtpUnprotectorTest, ReplaysAndPacketsBeyondTheWindowAreRejectedAsLibsrtpDoes) {
  const auto key = gcmKey(3);
  Libsrtp sender(key, false);
  Twin twin(key);
  std::vector<std::vector<uint8_t>> sent;
  for (uint16_t seq = 100; seq < 100 + 3000; ++seq) sent.push_back(sender.protect(rtp(0x01020304, seq)));
  // Every other packet first, then the gaps: the late ones inside the window are new to it.
  for (std::size_t i = 0; i < 1500; i += 2) EXPECT_EQ(twin.feed(sent[i], "even " + std::to_string(i)), SrtpResult::Ok);
  EXPECT_EQ(twin.feed(sent[1497], "late inside"), SrtpResult::Ok);
  EXPECT_EQ(twin.feed(sent[1498 - 1023], "oldest still inside (1023 below)"), SrtpResult::Ok);
  EXPECT_EQ(twin.feed(sent[1498 - 1024], "one below the window"), SrtpResult::ReplayOld);
  EXPECT_EQ(twin.feed(sent[1], "far below the window"), SrtpResult::ReplayOld);
  EXPECT_EQ(twin.feed(sent[1497], "replay of a late one"), SrtpResult::ReplayFail);
  EXPECT_EQ(twin.feed(sent[1498], "replay of the highest"), SrtpResult::ReplayFail);
  EXPECT_EQ(twin.feed(sent[1200], "replay inside"), SrtpResult::ReplayFail);
  // A jump forward of more than the window clears it.
  EXPECT_EQ(twin.feed(sent[2999], "jump"), SrtpResult::Ok);
  EXPECT_EQ(twin.feed(sent[1999], "skipped by the jump, inside"), SrtpResult::Ok);
  EXPECT_EQ(twin.feed(sent[2999 - 1024], "skipped by the jump, one below"), SrtpResult::ReplayOld);
  EXPECT_EQ(twin.feed(sent[1498], "taken before the jump"), SrtpResult::ReplayOld);
  EXPECT_EQ(twin.feed(sent[2998], "just below the jump"), SrtpResult::Ok);
}

TEST_F(GcmRtpUnprotectorTest, RandomReorderingAndReplaysOverManySsrcsMatchLibsrtp) {
  const auto key = gcmKey(4);
  Libsrtp sender(key, false);
  Twin twin(key);
  std::mt19937 random(7);
  constexpr int kStreams = 12;
  std::vector<std::vector<std::vector<uint8_t>>> history(kStreams);
  std::vector<uint16_t> next(kStreams);
  for (int s = 0; s < kStreams; ++s) next[s] = static_cast<uint16_t>(random());
  int accepted = 0, replays = 0, old = 0;
  for (int step = 0; step < 60000; ++step) {
    const int s = static_cast<int>(random() % kStreams);
    auto& sent = history[s];
    const uint32_t ssrc = 0x5000 + static_cast<uint32_t>(s);
    const uint32_t choice = random() % 100;
    std::vector<uint8_t> packet;
    if (choice < 70 || sent.empty()) {
      // Forward in bursts of 1-3 that arrive in any order; now and then a run lost for good,
      // rarely one of up to 30,000 (below 2^15, so the ROC can still be guessed).
      if (random() % 50 == 0) next[s] = static_cast<uint16_t>(next[s] + random() % 3000);
      if (random() % 2000 == 0) next[s] = static_cast<uint16_t>(next[s] + random() % 30000);
      const uint32_t burst = 1 + random() % 3;
      for (uint32_t k = 0; k < burst; ++k) sent.push_back(sender.protect(rtp(ssrc, next[s]++)));
      packet = sent[sent.size() - 1 - random() % burst];
    } else {
      // Something already sent: recent (inside the window), or older (beyond it), or a replay.
      const std::size_t back = choice < 90 ? random() % 1100 : random() % 5000;
      packet = sent[sent.size() - 1 - std::min(back, sent.size() - 1)];
    }
    if (sent.size() > 8000) sent.erase(sent.begin(), sent.begin() + 2000);
    const SrtpResult result = twin.feed(packet, "step " + std::to_string(step));
    accepted += result == SrtpResult::Ok;
    replays += result == SrtpResult::ReplayFail;
    old += result == SrtpResult::ReplayOld;
    if (HasFailure()) break;
  }
  // The walk must have exercised every outcome, or the comparison proves little.
  EXPECT_GT(accepted, 10000);
  EXPECT_GT(replays, 1000);
  EXPECT_GT(old, 100);
  EXPECT_EQ(twin.ours().streamCount(), static_cast<std::size_t>(kStreams));
}

TEST_F(GcmRtpUnprotectorTest, TamperedTagIsRejectedAndChangesNothing) {
  const auto key = gcmKey(5);
  Libsrtp sender(key, false);
  Twin twin(key);
  const auto genuine = sender.protect(rtp(0x0a0b0c0d, 500));
  auto tampered = genuine;
  tampered.back() ^= 0x01;  // last tag byte
  EXPECT_EQ(twin.feed(tampered, "tampered first packet"), SrtpResult::AuthFail);
  EXPECT_EQ(twin.ours().streamCount(), 0u) << "a forged packet must not admit its SSRC";
  EXPECT_EQ(twin.feed(genuine, "genuine"), SrtpResult::Ok);
  const auto next = sender.protect(rtp(0x0a0b0c0d, 501));
  auto header = sender.protect(rtp(0x0a0b0c0d, 502));
  // Known stream: a forged packet far ahead must not move the window.
  const auto ahead = sender.protect(rtp(0x0a0b0c0d, 500 + 2000));
  auto forgedAhead = ahead;
  forgedAhead[kHeader] ^= 0x80;  // payload byte
  EXPECT_EQ(twin.feed(forgedAhead, "forged ahead"), SrtpResult::AuthFail);
  EXPECT_EQ(twin.feed(next, "next after the forged one"), SrtpResult::Ok);
  // A changed header byte (authenticated, not encrypted) fails too.
  header[22] ^= 0x01;
  EXPECT_EQ(twin.feed(header, "changed extension byte"), SrtpResult::AuthFail);
}

TEST_F(GcmRtpUnprotectorTest, AForgedFirstPacketDoesNotSetTheRolloverGuess) {
  const auto key = gcmKey(6);
  Libsrtp sender(key, false);
  GcmRtpUnprotector ours(key);
  // Were the forged 40000 taken as the highest index, 100 would be guessed as after a wrap
  // (ROC 1) and fail to authenticate.
  auto forged = sender.protect(rtp(0x77, 40000));
  forged[kHeader + 1] ^= 0x10;
  EXPECT_EQ(unprotectWith(ours, forged), SrtpResult::AuthFail);
  Libsrtp fresh(key, false);
  auto genuine = fresh.protect(rtp(0x77, 100));
  EXPECT_EQ(unprotectWith(ours, genuine), SrtpResult::Ok);
}

TEST_F(GcmRtpUnprotectorTest, AFullTableGivesTheLeastRecentlyUsedEntryToANewSsrc) {
  const auto key = gcmKey(7);
  Libsrtp sender(key, false);
  GcmRtpUnprotector ours(key);
  const uint32_t busy = 1;
  const uint32_t idle = 2;
  auto busyFirst = sender.protect(rtp(busy, 10));
  auto idleFirst = sender.protect(rtp(idle, 10));
  auto copy = idleFirst;
  ASSERT_EQ(unprotectWith(ours, copy), SrtpResult::Ok);
  copy = busyFirst;
  ASSERT_EQ(unprotectWith(ours, copy), SrtpResult::Ok);
  // Fill the table up with other SSRCs, the busy one speaking all along.
  for (uint32_t ssrc = 100; ours.streamCount() < GcmRtpUnprotector::kMaxStreams; ++ssrc) {
    auto packet = sender.protect(rtp(ssrc, 1));
    ASSERT_EQ(unprotectWith(ours, packet), SrtpResult::Ok);
    auto keepAlive = sender.protect(rtp(busy, static_cast<uint16_t>(11 + ssrc - 100)));
    ASSERT_EQ(unprotectWith(ours, keepAlive), SrtpResult::Ok);
  }
  // One more SSRC: the idle stream's entry goes.
  auto newcomer = sender.protect(rtp(0xfeed, 1));
  ASSERT_EQ(unprotectWith(ours, newcomer), SrtpResult::Ok);
  EXPECT_EQ(ours.streamCount(), GcmRtpUnprotector::kMaxStreams);
  // The busy stream still knows its replays; the evicted one starts afresh, so its old packet
  // is taken again (the documented cost of the bound).
  copy = busyFirst;
  EXPECT_EQ(unprotectWith(ours, copy), SrtpResult::ReplayFail);
  copy = idleFirst;
  EXPECT_EQ(unprotectWith(ours, copy), SrtpResult::Ok);
}

TEST_F(GcmRtpUnprotectorTest, HeadersAndTagsThatDoNotFitAreRefusedLikeLibsrtp) {
  const auto key = gcmKey(8);
  Libsrtp sender(key, false);
  const auto good = sender.protect(rtp(0x99, 7));
  // Each case exactly sized, so a read past the end is an ASan report.
  const std::vector<std::vector<uint8_t>> cases = {
      std::vector<uint8_t>(good.begin(), good.begin() + 12),  // fixed header only, no room for CSRC
      std::vector<uint8_t>(good.begin(), good.begin() + 18),  // the extension header cut off
      std::vector<uint8_t>(good.begin(), good.begin() + 24),  // header, no tag
      std::vector<uint8_t>(good.begin(), good.begin() + 39),  // header + 15 bytes
      {0x8f, 0x60, 0x00, 0x01, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0},  // CC=15 in 20 bytes
      {0x90, 0x60, 0x00, 0x01, 0, 0, 0, 0, 1, 2, 3, 4, 0xbe, 0xde, 0xff, 0xff, 0, 0, 0, 0},  // 0xffff words
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Twin twin(key);
    EXPECT_NE(twin.feed(cases[i], "case " + std::to_string(i)), SrtpResult::Ok);
    EXPECT_EQ(twin.ours().streamCount(), 0u);
  }
  // Header + tag and nothing else (an empty payload) is a valid packet.
  Libsrtp emptySender(key, false);
  Twin twin(key);
  EXPECT_EQ(twin.feed(emptySender.protect(std::vector<uint8_t>(kRtp.begin(), kRtp.begin() + kHeader)), "empty payload"),
            SrtpResult::Ok);
}

TEST_F(GcmRtpUnprotectorTest, SrtpSessionInboundGcmUsesItAndRejectsAReplay) {
  const auto key = gcmKey(9);
  Libsrtp sender(key, false);
  SrtpSession receiver(SrtpProfile::AeadAes128Gcm, key, SrtpSession::Direction::Inbound);
  const auto srtp = sender.protect(rtp(0x42, 65535));
  for (const SrtpResult expected : {SrtpResult::Ok, SrtpResult::ReplayFail}) {
    auto packet = srtp;
    std::size_t len = packet.size();
    EXPECT_EQ(receiver.unprotectRtp(packet.data(), len), expected);
  }
  auto wrapped = sender.protect(rtp(0x42, 0));
  std::size_t len = wrapped.size();
  ASSERT_EQ(receiver.unprotectRtp(wrapped.data(), len), SrtpResult::Ok);
  wrapped.resize(len);
  EXPECT_EQ(wrapped, rtp(0x42, 0));
}

TEST_F(GcmRtpUnprotectorTest, WrongKeyLengthThrows) {
  const std::vector<uint8_t> aesCmKey(30, 1);
  EXPECT_THROW(GcmRtpUnprotector{aesCmKey}, SrtpError);
}

TEST_F(GcmRtpUnprotectorTest, NamesTheLinesAnUnprotectTouchesAndStillDecryptsTheSame) {
  const auto key = gcmKey(9);
  Libsrtp sender(key, false);
  GcmRtpUnprotector ours(key);
  auto line = [](const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t{CacheLines::kLineSize - 1};
  };
  CacheLines before;
  ours.addCacheLines(before);
  // No stream yet: the object and the AEAD's handle only.
  ASSERT_GE(before.size(), 2u);
  EXPECT_EQ(before.line(0), line(&ours));

  auto first = sender.protect(rtp(0x11223344, 100));
  ASSERT_EQ(unprotectWith(ours, first), SrtpResult::Ok);
  CacheLines after;
  ours.addCacheLines(after);
  EXPECT_GT(after.size(), before.size()) << "the SSRC list and the stream's replay state join them";
  after.prefetch();
  auto second = sender.protect(rtp(0x11223344, 101));
  ASSERT_EQ(unprotectWith(ours, second), SrtpResult::Ok);
  EXPECT_EQ(second, rtp(0x11223344, 101));
}

}  // namespace
}  // namespace diemcau::media
