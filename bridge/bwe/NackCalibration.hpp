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
// Before any report has judged them, one sample of heavy loss alone is held at the edge of what
// cuts (kHeavyLoss): a receiver starved of CPU for a moment NACKs a burst of late packets once,
// whereas a link that is too narrow loses in every sample. Two in a row count in full.
//
// Pure; no allocation, never throws.
#include <cstdint>

namespace diemcau::bridge {

class NackCalibration {
 public:
  static constexpr uint64_t kMinEvidence = 10;
  static constexpr double kHeavyLoss = 0.10;  // BandwidthEstimator::kHighLoss

  /// A NACK sample: `nackedLost` of `expected` packets (before calibration). Returns how many
  /// count as lost.
  uint64_t onSample(uint64_t expected, uint64_t nackedLost);
  /// A receiver report's lost packets over its interval.
  void onReport(uint64_t reportedLost);
  /// A report that only starts an interval (the first about a stream): what was NACKed before it
  /// is outside every report's interval, so it cannot be judged.
  void onBaselineReport() { nackedSinceReport_ = 0; }
  double factor() const { return factor_; }

 private:
  uint64_t nackedSinceReport_ = 0;
  double factor_ = 1.0;
  bool judged_ = false;       // a report has set the factor
  bool previousHeavy_ = false;
};

}  // namespace diemcau::bridge
