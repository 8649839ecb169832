#include "tools/load/LatencyTrace.hpp"

namespace diemcau::load {

void LatencyTrace::writeCsv(std::ostream& out, bool header) const {
  if (header) out << "receiver,source,kind,sequence,sent_ns,arrival_ns,handled_ns\n";
  for (const auto& r : records_) {
    out << r.receiver << ',' << r.source << ',' << (r.kind == StreamKind::Video ? "video" : "audio") << ','
        << r.sequence << ',' << r.sentNs << ',' << r.arrivalNs << ',' << r.handledNs << '\n';
  }
}

}  // namespace diemcau::load
