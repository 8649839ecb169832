#pragma once
// CPU time (user + system seconds) of this process, and of another one from /proc/<pid>/stat
// (fields 14 and 15, in clock ticks; proc(5)).
#include <optional>

namespace diemcau::load {

struct CpuTimes {
  double user = 0.0;
  double system = 0.0;
  double total() const { return user + system; }
};

CpuTimes selfCpu();
std::optional<CpuTimes> processCpu(int pid);
/// Resident set size of `pid` in KiB (VmRSS of /proc/<pid>/status).
std::optional<long> processRssKiB(int pid);

}  // namespace diemcau::load
