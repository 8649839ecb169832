// diemcau-bench-packet: Google Benchmark main with libsrtp2 initialised once for the whole run,
// as the server's main does (SrtpLibrary must outlive every SrtpSession).
#include <benchmark/benchmark.h>

#include "media/srtp/SrtpLibrary.hpp"

int main(int argc, char** argv) {
  const diemcau::media::SrtpLibrary srtp;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
