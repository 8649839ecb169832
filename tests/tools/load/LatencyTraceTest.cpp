#include "tools/load/LatencyTrace.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace diemcau::load {
namespace {

LatencyTrace::Record copy(uint16_t receiver, uint32_t sequence) {
  return {.sentNs = 1'000, .arrivalNs = 1'500, .handledNs = 2'000, .sequence = sequence, .receiver = receiver,
          .source = 0, .kind = StreamKind::Video};
}

TEST(LatencyTrace, KeepsOnlyWhatArrivesWhileRecording) {
  LatencyTrace trace(8);
  trace.record(copy(1, 10));  // before the window
  trace.setRecording(true);
  trace.record(copy(2, 11));
  trace.setRecording(false);
  trace.record(copy(3, 12));  // after it
  ASSERT_EQ(trace.records().size(), 1u);
  EXPECT_EQ(trace.records()[0].receiver, 2);
  EXPECT_EQ(trace.dropped(), 0u);
}

TEST(LatencyTrace, CountsWhatItHasNoRoomFor) {
  LatencyTrace trace(2);
  trace.setRecording(true);
  for (uint32_t i = 0; i < 5; ++i) trace.record(copy(1, i));
  EXPECT_EQ(trace.records().size(), 2u);
  EXPECT_EQ(trace.dropped(), 3u);
  EXPECT_EQ(trace.records()[1].sequence, 1u);  // the first ones are kept
}

TEST(LatencyTrace, WritesOneCsvLinePerCopy) {
  LatencyTrace trace(4);
  trace.setRecording(true);
  trace.record(copy(7, 42));
  trace.record({.sentNs = 5, .arrivalNs = 0, .handledNs = 9, .sequence = 3, .receiver = 8, .source = 2,
                .kind = StreamKind::Audio});
  std::ostringstream out;
  trace.writeCsv(out, true);
  EXPECT_EQ(out.str(),
            "receiver,source,kind,sequence,sent_ns,arrival_ns,handled_ns\n"
            "7,0,video,42,1000,1500,2000\n"
            "8,2,audio,3,5,0,9\n");
  std::ostringstream noHeader;
  trace.writeCsv(noHeader, false);
  EXPECT_EQ(noHeader.str().find("receiver,"), std::string::npos);
}

}  // namespace
}  // namespace diemcau::load
