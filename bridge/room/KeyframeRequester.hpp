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
//
// A second exception, when constructed with a retry floor: a request made after the keyframe of the
// last request has arrived comes from a receiver that keyframe did not repair (a packet of it was
// lost too, or a new loss its NACKs could not repair broke the picture again): that receiver is
// frozen until the next keyframe, and holding its request for the rest of the interval adds the
// wait to its freeze. Such a request may go out once the floor has passed since the last one, on
// credit: a token bucket of one token per interval with room for the one early request, which
// every request sent (here or by the other requester of the stream) pays for, so a receiver that
// keeps asking still gets at most one request per interval over any longer time, and only a quiet
// spell earns the next early one. A request made
// while the keyframe of the last one is still on its way waits as before.
#include <algorithm>
#include <cstdint>

namespace diemcau::bridge {

class KeyframeRequester {
 public:
  static constexpr int64_t kDefaultIntervalUs = 300'000;

  explicit KeyframeRequester(int64_t minIntervalUs = kDefaultIntervalUs, int64_t retryFloorUs = 0)
      : minIntervalUs_(minIntervalUs), retryFloorUs_(std::min(retryFloorUs, minIntervalUs)) {}

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
    markSent(nowUs);
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
  /// Requests sent before the interval was over because the last keyframe did not serve them.
  uint64_t sentRetries() const { return sentRetries_; }

 private:
  bool retryAllowed(int64_t nowUs) const;
  void markSent(int64_t nowUs);

  int64_t minIntervalUs_;
  int64_t retryFloorUs_;
  // The token bucket's theoretical arrival time: every request sent (here or elsewhere) pays one
  // interval from max(this, its time); an early retry needs this to be at most one interval minus
  // the floor ahead of now.
  int64_t paidUntilUs_ = 0;
  bool pending_ = false;
  bool urgent_ = false;
  bool keyframeSinceSent_ = false;
  bool everSent_ = false;
  int64_t lastSentUs_ = 0;
  uint64_t requests_ = 0;
  uint64_t sent_ = 0;
  uint64_t sentEarly_ = 0;
  uint64_t sentRetries_ = 0;
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
