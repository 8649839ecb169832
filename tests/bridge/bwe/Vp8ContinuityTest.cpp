#include "bridge/bwe/Vp8Continuity.hpp"

#include <gtest/gtest.h>

#include <array>

#include "media/rtp/Vp8PayloadDescriptor.hpp"

namespace diemcau::bridge {
namespace {

namespace rtp = media::rtp;

// A VP8 payload with a 15-bit picture id and TL0PICIDX (RFC 7741 section 4.2):
//   90        X=1, S=1, PID=0
//   c0        I=1, L=1
//   M|pid     picture id, 15 bits
//   tl0       TL0PICIDX
//   followed by three bytes of VP8 data.
std::array<uint8_t, 8> payload(uint16_t pictureId, uint8_t tl0) {
  return {0x90, 0xC0, static_cast<uint8_t>(0x80 | (pictureId >> 8)), static_cast<uint8_t>(pictureId & 0xFF), tl0,
          0x00, 0x00, 0x00};
}

struct Out {
  uint16_t pictureId;
  uint8_t tl0;
};

Out pass(Vp8Continuity& continuity, uint16_t pictureId, uint8_t tl0) {
  auto p = payload(pictureId, tl0);
  continuity.rewrite(p);
  return {rtp::vp8PictureId(p).value(), rtp::vp8Tl0PicIdx(p).value()};
}

TEST(Vp8ContinuityTest, FirstSegmentKeepsTheSourceNumbers) {
  Vp8Continuity continuity;
  const Out out = pass(continuity, 1234, 7);
  EXPECT_EQ(out.pictureId, 1234);
  EXPECT_EQ(out.tl0, 7);
  EXPECT_EQ(pass(continuity, 1235, 8).pictureId, 1235);
}

TEST(Vp8ContinuityTest, SwitchContinuesAtLastPlusOne) {
  Vp8Continuity continuity;
  pass(continuity, 1000, 10);
  pass(continuity, 1001, 11);
  pass(continuity, 1001, 11);  // a second packet of the same picture
  continuity.onSwitch();
  // The other layer numbers its pictures from 20000.
  Out out = pass(continuity, 20000, 200);
  EXPECT_EQ(out.pictureId, 1002);
  EXPECT_EQ(out.tl0, 12);
  out = pass(continuity, 20001, 201);
  EXPECT_EQ(out.pictureId, 1003);
  EXPECT_EQ(out.tl0, 13);
}

TEST(Vp8ContinuityTest, WrapsInFifteenBits) {
  Vp8Continuity continuity;
  pass(continuity, 0x7FFF, 255);
  continuity.onSwitch();
  const Out out = pass(continuity, 5, 3);
  EXPECT_EQ(out.pictureId, 0);
  EXPECT_EQ(out.tl0, 0);
}

TEST(Vp8ContinuityTest, RetransmissionGetsTheSegmentsNumbersWithoutMovingOn) {
  Vp8Continuity continuity;
  auto untouched = payload(30, 4);
  continuity.translate(untouched);  // nothing forwarded yet: no numbering to apply
  EXPECT_EQ(rtp::vp8PictureId(untouched).value(), 30);
  pass(continuity, 500, 50);
  continuity.onSwitch();
  pass(continuity, 9000, 90);  // → 501, 51
  pass(continuity, 9001, 91);  // → 502, 52
  // A repair of picture 9000 carries the number the receiver saw it with.
  auto repair = payload(9000, 90);
  continuity.translate(repair);
  EXPECT_EQ(rtp::vp8PictureId(repair).value(), 501);
  EXPECT_EQ(rtp::vp8Tl0PicIdx(repair).value(), 51);
  // and leaves the numbering where it was.
  EXPECT_EQ(pass(continuity, 9002, 92).pictureId, 503);
  // After a switch, until the new segment's first packet, a repair of the old one is not renumbered.
  continuity.onSwitch();
  auto late = payload(9001, 91);
  continuity.translate(late);
  EXPECT_EQ(rtp::vp8PictureId(late).value(), 9001);
}

TEST(Vp8ContinuityTest, PayloadWithoutPictureIdIsLeftAlone) {
  Vp8Continuity continuity;
  std::array<uint8_t, 4> plain{0x10, 0x00, 0x00, 0x00};  // X=0, S=1
  const auto before = plain;
  continuity.rewrite(plain);
  EXPECT_EQ(plain, before);
  std::array<uint8_t, 1> truncated{0x90};
  continuity.rewrite(truncated);  // ends inside the descriptor: untouched, no read past the end
  EXPECT_EQ(truncated[0], 0x90);
}

TEST(Vp8ContinuityTest, ADescriptorParsedOnceGivesWhatParsingEachCopyGives) {
  // Two receivers of the same packets, one parsing each copy, one given the source's descriptor.
  Vp8Continuity parsing;
  Vp8Continuity given;
  const auto check = [&](uint16_t pictureId, uint8_t tl0) {
    const auto source = payload(pictureId, tl0);
    const auto descriptor = rtp::Vp8PayloadDescriptor::parse(source);
    auto a = source;
    auto b = source;
    parsing.rewrite(a);
    given.rewrite(b, descriptor);
    EXPECT_EQ(a, b) << pictureId;
    EXPECT_EQ(parsing.lastPictureId(), given.lastPictureId());
  };
  check(1000, 10);
  check(1001, 11);
  parsing.onSwitch();
  given.onSwitch();
  check(20000, 200);
  check(20001, 201);
  // No descriptor (not VP8, or cut short): the copy is left alone, as when parsing fails.
  auto none = payload(5, 5);
  const auto before = none;
  given.rewrite(none, std::nullopt);
  EXPECT_EQ(none, before);
}

}  // namespace
}  // namespace diemcau::bridge
