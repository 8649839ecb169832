#pragma once
// Aggregates keyframe requests for one published video stream. New subscribers, resumed and
// switched downstream tracks and the receivers' own PLI/FIR all ask; the publisher gets at most one
// request per interval, and none once a keyframe has arrived after the asking (RFC 4585 section
// 3.4 lets a translator merge feedback this way; every keyframe repairs every receiver).
//
// One exception to the interval: a receiver whose connection has just come up could not use any
// keyframe sent before that moment. If the keyframe of the last request has already passed, it
// went by too early for this receiver, and holding its request back for the rest of the interval
// would add up to the whole interval to its join (docs/PERFORMANCE.md, "Join time"). Connections
// come up once per join or recovery, so this cannot turn into a keyframe storm; repeated
// receiver PLIs still wait out the interval.
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
  /// A receiver whose connection just came up needs a keyframe: as request(), and not held back by
  /// the interval when a keyframe has arrived since the last request went out.
  void requestForNewConnection() {
    request();
    if (keyframeSinceSent_) urgent_ = true;
  }
  /// A request went out for another reason (another requester of the same stream): whatever this one
  /// holds is served by its keyframe, and its interval starts again from now.
  void onSentElsewhere(int64_t nowUs) {
    pending_ = false;
    urgent_ = false;
    keyframeSinceSent_ = false;
    everSent_ = true;
    lastSentUs_ = nowUs;
  }
  /// A keyframe arrived: every request made before it is served.
  void onKeyframe() {
    pending_ = false;
    urgent_ = false;
    keyframeSinceSent_ = true;
  }
  /// True when a PLI/FIR should go to the publisher now; the caller sends it.
  bool poll(int64_t nowUs);

  bool pending() const { return pending_; }
  uint64_t requests() const { return requests_; }
  uint64_t sent() const { return sent_; }
  /// Requests sent before the interval was over (requestForNewConnection).
  uint64_t sentEarly() const { return sentEarly_; }

 private:
  int64_t minIntervalUs_;
  bool pending_ = false;
  bool urgent_ = false;
  bool keyframeSinceSent_ = false;
  bool everSent_ = false;
  int64_t lastSentUs_ = 0;
  uint64_t requests_ = 0;
  uint64_t sent_ = 0;
  uint64_t sentEarly_ = 0;
};

/// Two requesters of one stream with their own intervals (a track's layer switches and new
/// connections, and its receivers' own PLIs): true when a request should go out now. One request
/// serves both, so the other's interval starts again from it.
inline bool pollEither(KeyframeRequester& first, KeyframeRequester& second, int64_t nowUs) {
  if (first.poll(nowUs)) {
    second.onSentElsewhere(nowUs);
    return true;
  }
  if (second.poll(nowUs)) {
    first.onSentElsewhere(nowUs);
    return true;
  }
  return false;
}

}  // namespace diemcau::bridge
