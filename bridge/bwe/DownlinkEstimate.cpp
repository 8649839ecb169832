#include "bridge/bwe/DownlinkEstimate.hpp"

namespace diemcau::bridge {

std::optional<DownlinkEstimate::Loss> DownlinkEstimate::onNackTotals(const SendTotals& totals, int64_t nowUs) {
  const auto sample = sampler_.onTotals(totals);
  if (!sample) return std::nullopt;
  // NACKs of packets that were only late are discounted once the receiver's reports show it;
  // before that a single heavy sample is held (NackCalibration).
  const Loss loss{sample->expected,
                  calibration_.onSample(sample->expected, sample->lost, sample->sentBps, nowUs),
                  sample->sentBps};
  estimator_.onLossReport(loss.expected, loss.lost, loss.sentBps, nowUs);
  return loss;
}

DownlinkEstimate::Loss DownlinkEstimate::onReceiverReport(uint64_t expected, uint64_t lost, uint64_t bytesSent,
                                                          int64_t nowUs) {
  Loss loss{expected, lost, 0};
  if (reported_ && nowUs > lastReportUs_ && bytesSent >= lastBytesSent_) {
    loss.sentBps = (bytesSent - lastBytesSent_) * 8 * 1'000'000 / static_cast<uint64_t>(nowUs - lastReportUs_);
  }
  reported_ = true;
  lastReportUs_ = nowUs;
  lastBytesSent_ = bytesSent;
  calibration_.onReport(lost, nowUs);
  estimator_.onLossReport(loss.expected, loss.lost, loss.sentBps, nowUs);
  return loss;
}

void DownlinkEstimate::onNewPath() {
  sampler_ = LossSampler{};
  calibration_ = NackCalibration{};
  reported_ = false;
  lastReportUs_ = 0;
  lastBytesSent_ = 0;
  estimator_.forgetRemb();
}

}  // namespace diemcau::bridge
