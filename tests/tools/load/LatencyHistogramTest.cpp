#include "tools/load/LatencyHistogram.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace diemcau::load {
namespace {

TEST(LatencyHistogram, MicrosecondPercentilesBelowTenMilliseconds) {
  auto h = std::make_unique<LatencyHistogram>();
  for (int us = 1; us <= 100; ++us) h->record(int64_t{us} * 1000 - 500);  // 0.5, 1.5, ... 99.5 µs
  EXPECT_EQ(h->count(), 100u);
  EXPECT_DOUBLE_EQ(h->percentileUs(0.50), 50.0);
  EXPECT_DOUBLE_EQ(h->percentileUs(0.99), 99.0);
  EXPECT_DOUBLE_EQ(h->maxUs(), 99.5);
}

TEST(LatencyHistogram, MillisecondBucketsAboveAndMerge) {
  auto a = std::make_unique<LatencyHistogram>();
  auto b = std::make_unique<LatencyHistogram>();
  for (int i = 0; i < 98; ++i) a->record(100'000);  // 100 µs
  b->record(25'300'000);                           // 25.3 ms
  b->record(20'000'000'000);                       // 20 s: overflow bucket
  a->merge(*b);
  EXPECT_EQ(a->count(), 100u);
  EXPECT_DOUBLE_EQ(a->percentileUs(0.5), 101.0);
  EXPECT_DOUBLE_EQ(a->percentileUs(0.99), 26'000.0);  // the 25 ms bucket's upper bound
  EXPECT_DOUBLE_EQ(a->percentileUs(1.0), 20'000'000.0);  // capped at the largest sample
  a->reset();
  EXPECT_EQ(a->count(), 0u);
  EXPECT_DOUBLE_EQ(a->percentileUs(0.5), 0.0);
}

}  // namespace
}  // namespace diemcau::load
