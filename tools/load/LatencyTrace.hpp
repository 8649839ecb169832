#pragma once
// Every stamped packet a worker's sites receive in the measured window, one record each, for an
// analysis the summary's histograms cannot make: which copy of which source packet was late, and
// whether the server was late to start the packet's fan-out or late within it
// (tools/bench/latency-trace.py). The records are preallocated when the run starts; recording is a
// bounds check and a store, and a full trace counts what it had to leave out.
//
// Worker thread only, like WorkerStats' histograms; read after the worker has stopped recording.
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <vector>

#include "tools/load/PayloadStamp.hpp"

namespace diemcau::load {

class LatencyTrace {
 public:
  struct Record {
    int64_t sentNs = 0;     // the publisher's stamp, steady clock
    int64_t arrivalNs = 0;  // queued on the site's socket (kernel timestamp), or 0 when unknown
    int64_t handledNs = 0;  // the site handled it
    uint32_t sequence = 0;  // the source stream's
    uint16_t receiver = 0;  // the receiving site's slot
    uint16_t source = 0;    // the publishing site's slot
    StreamKind kind = StreamKind::Audio;
  };

  explicit LatencyTrace(size_t capacity) { records_.reserve(capacity); }

  void setRecording(bool on) { recording_ = on; }
  void record(const Record& record) {
    if (!recording_) return;
    if (records_.size() < records_.capacity()) {
      records_.push_back(record);
    } else {
      ++dropped_;
    }
  }

  const std::vector<Record>& records() const { return records_; }
  uint64_t dropped() const { return dropped_; }

  /// One CSV line per record (with a header when `header`): receiver, source, kind, sequence, and
  /// the three times in ns.
  void writeCsv(std::ostream& out, bool header) const;

 private:
  std::vector<Record> records_;
  uint64_t dropped_ = 0;
  bool recording_ = false;
};

}  // namespace diemcau::load
