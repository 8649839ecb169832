// Records VP8+Opus test RTP into FILE for SECONDS, optionally with the file size limited to LIMIT bytes
// (RLIMIT_FSIZE: the kernel then refuses writes as on a full disk). The crash test kills it with SIGKILL.
// Prints "recording" when the feed starts and "failed: <why>" if the recorder reported a failure;
// exit status 3 after a failure, 0 otherwise.
#include <gst/gst.h>
#include <sys/resource.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "media/recorder/ParticipantRecorder.hpp"
#include "tests/media/recorder/RtpFeed.hpp"

using namespace diemcau::media::recorder;


// Under -DDIEMCAU_SANITIZE=ON: GLib keeps a 16 KiB per-thread buffer for GStreamer's streaming
// threads that outlives them; it is not ours (same suppression as the test itself).
extern "C" const char* __lsan_default_suppressions() { return "leak:libglib-2.0.so\n"; }

namespace {

class PrintingListener : public ParticipantRecorder::Listener {
 public:
  void onRecordingFailed(const std::filesystem::path&, std::string_view message) override {
    std::printf("failed: %.*s\n", static_cast<int>(message.size()), message.data());
    std::fflush(stdout);
    failed = true;
  }
  void onKeyframeNeeded(size_t) override {}
  std::atomic<bool> failed{false};
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: recorder_child FILE SECONDS [LIMIT]\n");
    return 2;
  }
  if (argc == 4) {
    std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit then fails with EFBIG instead of killing us
    const rlim_t limit = std::strtoull(argv[3], nullptr, 10);
    const rlimit fsize{limit, limit};
    setrlimit(RLIMIT_FSIZE, &fsize);
  }
  gst_init(&argc, &argv);
  const double seconds = std::stod(argv[2]);
  const auto packets = test::merge(test::encodeVp8(seconds, 0), test::encodeOpus(seconds, 1));
  PrintingListener listener;
  ParticipantRecorder recorder(argv[1], {{RecordedCodec::Vp8, 96, 90000}, {RecordedCodec::Opus, 111, 48000}},
                               &listener);
  std::printf("recording\n");
  std::fflush(stdout);
  test::feedRealTime(packets, [&](const test::FedPacket& p) { recorder.sink(p.track).onRtp(p.bytes); });
  recorder.stop();
  return listener.failed ? 3 : 0;
}
