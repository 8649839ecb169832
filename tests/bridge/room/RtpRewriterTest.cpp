#include "bridge/room/RtpRewriter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace diemcau::bridge {
namespace {

using Result = RtpRewriter::Result;

enum class Op { Packet, Pause, Resume, Switch };

struct Step {
  Op op = Op::Packet;
  uint32_t ssrc = 0;
  uint16_t seq = 0;
  uint32_t ts = 0;
  bool keyframe = false;
  int64_t nowUs = 0;
  Result expected = Result::Forward;
  uint16_t outSeq = 0;  // checked for Forward
  uint32_t outTs = 0;
};

Step pkt(uint32_t ssrc, uint16_t seq, uint32_t ts, int64_t nowMs, uint16_t outSeq, uint32_t outTs, bool key = false) {
  return {Op::Packet, ssrc, seq, ts, key, nowMs * 1000, Result::Forward, outSeq, outTs};
}
Step drop(uint32_t ssrc, uint16_t seq, uint32_t ts, int64_t nowMs, Result why, bool key = false) {
  return {Op::Packet, ssrc, seq, ts, key, nowMs * 1000, why, 0, 0};
}
Step op(Op o) { return {o}; }

struct Case {
  std::string name;
  uint32_t clockRate;
  bool gate;
  uint16_t initialSeq;
  uint32_t initialTs;
  std::vector<Step> steps;
};

class RtpRewriterTable : public testing::TestWithParam<Case> {};

TEST_P(RtpRewriterTable, RewritesAsTabled) {
  const Case& c = GetParam();
  RtpRewriter rewriter(c.clockRate, c.gate, c.initialSeq, c.initialTs);
  for (size_t i = 0; i < c.steps.size(); ++i) {
    const Step& s = c.steps[i];
    SCOPED_TRACE("step " + std::to_string(i));
    switch (s.op) {
      case Op::Pause: rewriter.pause(); continue;
      case Op::Resume: rewriter.resume(); continue;
      case Op::Switch: rewriter.switchSource(); continue;
      case Op::Packet: break;
    }
    RtpRewriter::Header out;
    ASSERT_EQ(rewriter.rewrite(s.ssrc, s.seq, s.ts, s.keyframe, s.nowUs, out), s.expected);
    if (s.expected == Result::Forward) {
      EXPECT_EQ(out.sequence, s.outSeq);
      EXPECT_EQ(out.timestamp, s.outTs);
    }
  }
}

// Audio at 48 kHz: 20 ms frames are 960 ticks apart.
INSTANTIATE_TEST_SUITE_P(
    Table, RtpRewriterTable,
    testing::Values(
        Case{"FirstPacketTakesInitialNumbers", 48000, false, 1000, 5000,
             {pkt(1, 40000, 123456, 0, 1000, 5000), pkt(1, 40001, 124416, 20, 1001, 5960),
              pkt(1, 40002, 125376, 40, 1002, 6920)}},
        Case{"SourceSequenceWrapsOutputDoesNot", 48000, false, 1000, 0,
             {pkt(1, 65534, 0, 0, 1000, 0), pkt(1, 65535, 960, 20, 1001, 960), pkt(1, 0, 1920, 40, 1002, 1920),
              pkt(1, 1, 2880, 60, 1003, 2880)}},
        Case{"OutputSequenceAndTimestampWrap", 48000, false, 65535, 0xFFFFFC40u,
             {pkt(1, 10, 1000, 0, 65535, 0xFFFFFC40u), pkt(1, 11, 1960, 20, 0, 0),
              pkt(1, 12, 2920, 40, 1, 960)}},
        Case{"ReorderedPacketKeepsItsOffset", 48000, false, 500, 0,
             {pkt(1, 100, 0, 0, 500, 0), pkt(1, 102, 1920, 40, 502, 1920), pkt(1, 101, 960, 41, 501, 960),
              pkt(1, 103, 2880, 60, 503, 2880)}},
        // Paused for 1 s: sequence continues at last + 1, timestamp advances by 1 s (48000 ticks)
        // from the last forwarded packet, whatever the source's own numbering did meanwhile.
        Case{"PauseResumeIsContinuous", 48000, false, 100, 10000,
             {pkt(1, 7000, 0, 0, 100, 10000), pkt(1, 7001, 960, 20, 101, 10960), op(Op::Pause),
              drop(1, 7002, 1920, 40, Result::Paused), drop(1, 7003, 2880, 60, Result::Paused), op(Op::Resume),
              pkt(1, 7051, 49920, 1020, 102, 58960), pkt(1, 7052, 50880, 1040, 103, 59920)}},
        Case{"StalePacketFromBeforeTheResumeIsDropped", 48000, false, 100, 0,
             {pkt(1, 7000, 0, 0, 100, 0), op(Op::Pause), op(Op::Resume), pkt(1, 7100, 96000, 2000, 101, 96000),
              drop(1, 7099, 95040, 2001, Result::Stale)}},
        // Video: nothing until the first keyframe; a switch to another source waits for its keyframe
        // and continues the numbering (90 kHz: 500 ms = 45000 ticks).
        Case{"VideoWaitsForKeyframe", 90000, true, 10, 0,
             {drop(1, 1, 3000, 0, Result::WaitingKeyframe), drop(1, 2, 3000, 1, Result::WaitingKeyframe),
              pkt(1, 3, 6000, 33, 10, 0, true), pkt(1, 4, 6000, 34, 11, 0), pkt(1, 5, 9000, 66, 12, 3000)}},
        Case{"SourceSwitchWaitsForTheNewSourcesKeyframe", 90000, true, 10, 0,
             {pkt(1, 1, 0, 0, 10, 0, true), pkt(1, 2, 3000, 33, 11, 3000), op(Op::Switch),
              drop(2, 900, 77000, 100, Result::WaitingKeyframe), pkt(2, 901, 80000, 533, 12, 3000 + 45000, true),
              pkt(2, 902, 83000, 566, 13, 3000 + 45000 + 3000)}},
        Case{"NewSsrcIsASwitch", 90000, true, 10, 0,
             {pkt(1, 1, 0, 0, 10, 0, true), drop(9, 50, 7000, 33, Result::WaitingKeyframe),
              pkt(9, 51, 7000, 100, 11, 9000, true)}},
        Case{"ResumedVideoWaitsForKeyframe", 90000, true, 0, 0,
             {pkt(1, 1, 0, 0, 0, 0, true), op(Op::Pause), op(Op::Resume),
              drop(1, 30, 90000, 1000, Result::WaitingKeyframe), pkt(1, 31, 93000, 1033, 1, 92970, true)}}),
    [](const auto& param) { return param.param.name; });

TEST(RtpRewriter, TranslatesNackedSequenceNumbersWithinTheSegment) {
  RtpRewriter rewriter(90000, false, 200, 0);
  RtpRewriter::Header out;
  for (uint16_t seq = 65530; seq != 5; ++seq) rewriter.rewrite(1, seq, 0, false, 0, out);
  // Output 200..210 carries source 65530..4.
  EXPECT_EQ(rewriter.toSource(200), 65530);
  EXPECT_EQ(rewriter.toSource(206), 0);
  EXPECT_EQ(rewriter.toSource(210), 4);
  EXPECT_FALSE(rewriter.toSource(211));  // not sent yet
  EXPECT_FALSE(rewriter.toSource(199));  // before the segment
  EXPECT_EQ(rewriter.toOutput(2), 208);
  EXPECT_FALSE(rewriter.toOutput(65529));
}

TEST(RtpRewriter, NoTranslationAcrossASwitch) {
  RtpRewriter rewriter(90000, false, 200, 0);
  RtpRewriter::Header out;
  rewriter.rewrite(1, 10, 0, false, 0, out);
  rewriter.switchSource();
  EXPECT_FALSE(rewriter.toSource(200));
}

}  // namespace
}  // namespace diemcau::bridge
