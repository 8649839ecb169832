#pragma once
// How far one receiver's NACKs can be taken as loss, judged by its own receiver reports.
//
// A NACK names a packet the receiver has not got, which is not always a packet lost: GStreamer's
// jitter buffer also asks for the next packet when it is merely late (`rtx-next-seqnum`), and a
// CPU-starved receiver finds many late. Its receiver reports (RFC 3550 section 6.4.1) count what
// never arrived. So NACKs count as loss until a report says otherwise: at each report with loss
// figures, if the NACK samples since the previous report claimed at least kMinEvidence lost
// packets, the share of them the report confirms becomes the factor applied to later samples
// (0..1). A receiver on a really weak link reports the loss and keeps its factor near 1; one whose
// NACKs were late packets drops to near 0 and is judged by its reports.
//
// A judgment holds for the conditions it was made in, and no longer: for kJudgmentLifetimeUs after
// the report that made it, and for samples sent at no more than kJudgedRateMargin times the highest
// send rate of the samples it judged. Past either, NACKs count in full again (with the hold below).
// A later report with too few NACKs to judge again renews the lifetime when the interval's highest
// send rate is within kJudgedRateMargin of the judged one, either way: the receiver is still where
// it was judged and nothing contradicts the judgment. A receiver on a calm link whose jitter buffer
// NACKs late packets in bursts (a run of keyframes) minutes apart stays judged; one the bridge moved
// to a much smaller layer meanwhile (a capped link after an overload) is not renewed, so its
// judgment lapses before a probe of the larger layer comes.
// A receiver whose NACKs were mostly late packets on a calm link (factor near 0) is a different
// receiver once the bridge sends it twice as much into a queue that overflows: GStreamer's jitter
// buffer then NACKs packets the link's queue delayed past it or dropped, while its reports, which
// count a late packet as received and come 30-40 s apart on such a link, keep saying little was lost.
// Held to the old factor, a probe of the next layer that the link cannot carry would go unnoticed
// for as long as that.
//
// Before any report has judged them (or after the judgment lapsed), one sample of heavy loss alone
// is held at the edge of what cuts (kHeavyLoss): a receiver starved of CPU for a moment NACKs a
// burst of late packets once, whereas a link that is too narrow loses in every sample. Two in a row
// count in full.
//
// Pure and clock-injected; no allocation, never throws.
#include <cstdint>

namespace diemcau::bridge {

class NackCalibration {
 public:
  static constexpr uint64_t kMinEvidence = 10;
  static constexpr double kHeavyLoss = 0.10;  // BandwidthEstimator::kHighLoss
  static constexpr int64_t kJudgmentLifetimeUs = 20'000'000;
  static constexpr double kJudgedRateMargin = 1.25;

  /// A NACK sample: `nackedLost` of `expected` packets (before calibration), sent at `sentBps` (0:
  /// unknown). Returns how many count as lost.
  uint64_t onSample(uint64_t expected, uint64_t nackedLost, uint64_t sentBps, int64_t nowUs);
  /// A receiver report's lost packets over its interval.
  void onReport(uint64_t reportedLost, int64_t nowUs);
  /// A report that only starts an interval (the first about a stream): what was NACKed before it
  /// is outside every report's interval, so it cannot be judged.
  void onBaselineReport() {
    nackedSinceReport_ = 0;
    peakBpsSinceReport_ = 0;
  }
  /// The factor of the last judgment (1 before any), whether or not it still applies.
  double factor() const { return factor_; }
  /// Whether the last judgment applies to a sample sent at `sentBps` now.
  bool judges(uint64_t sentBps, int64_t nowUs) const;

 private:
  /// Whether an interval whose highest send rate was `peakBps` ran at about the judged rate.
  bool sameConditions(uint64_t peakBps) const;

  uint64_t nackedSinceReport_ = 0;
  uint64_t peakBpsSinceReport_ = 0;  // the highest send rate of the samples since the last report
  double factor_ = 1.0;
  bool judged_ = false;     // a report has set the factor
  int64_t judgedUs_ = 0;    // when
  uint64_t judgedBps_ = 0;  // the highest send rate it judged (0: unknown, any rate)
  bool previousHeavy_ = false;
};

}  // namespace diemcau::bridge
