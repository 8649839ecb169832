#pragma once
// Aggregates keyframe requests for one published video stream. New subscribers, resumed and
// switched downstream tracks and the receivers' own PLI/FIR all ask; the publisher gets at most one
// request per interval, and none once a keyframe has arrived after the asking (RFC 4585 section
// 3.4 lets a translator merge feedback this way; every keyframe repairs every receiver).
#include <cstdint>

namespace diemcau::bridge {

class KeyframeRequester {
 public:
  static constexpr int64_t kDefaultIntervalUs = 300'000;

  explicit KeyframeRequester(int64_t minIntervalUs = kDefaultIntervalUs) : minIntervalUs_(minIntervalUs) {}

  /// Someone needs a keyframe.
  void request() {
    pending_ = true;
    ++requests_;
  }
  /// A keyframe arrived: every request made before it is served.
  void onKeyframe() { pending_ = false; }
  /// True when a PLI/FIR should go to the publisher now; the caller sends it.
  bool poll(int64_t nowUs);

  bool pending() const { return pending_; }
  uint64_t requests() const { return requests_; }
  uint64_t sent() const { return sent_; }

 private:
  int64_t minIntervalUs_;
  bool pending_ = false;
  bool everSent_ = false;
  int64_t lastSentUs_ = 0;
  uint64_t requests_ = 0;
  uint64_t sent_ = 0;
};

}  // namespace diemcau::bridge
