// diemcau-webrtc-peer: an independent WebRTC peer for end-to-end tests.
//
// It speaks the server's /ws protocol with GStreamer webrtcbin (not with our media stack),
// so a test that passes proves interoperability, not self-consistency. Logs go to stderr;
// stdout carries exactly one JSON line: the PeerReport.
#include "tests/peers/EchoMode.hpp"
#include "tests/peers/MeetingMode.hpp"
#include "tests/peers/PeerMode.hpp"
#include "tests/peers/PeerOptions.hpp"
#include "tests/peers/PeerReport.hpp"

#include <glib-unix.h>
#include <gst/gst.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace {

using namespace diemcau::peers;

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

class Run final : public PeerMode::Listener {
 public:
  explicit Run(GMainLoop* loop) : loop_(loop) {}
  void onModeFailed(const std::string&) override {
    failed_ = true;
    g_main_loop_quit(loop_);
  }
  void onModeFinished(const std::string&) override { g_main_loop_quit(loop_); }
  bool failed() const { return failed_; }

 private:
  GMainLoop* loop_;
  bool failed_ = false;
};

gboolean quitLoop(gpointer loop) {
  g_main_loop_quit(static_cast<GMainLoop*>(loop));
  return G_SOURCE_REMOVE;
}

std::unique_ptr<PeerMode> makeMode(GMainContext* context, const PeerOptions& options,
                                   PeerMode::Listener& listener) {
  if (options.mode == "echo") {
    return std::make_unique<EchoMode>(context, options, listener);
  }
  if (options.mode == "join") {
    return std::make_unique<MeetingMode>(context, options, listener);
  }
  throw std::invalid_argument("unknown --mode '" + options.mode + "' (known: echo, join)");
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("peer"));
  std::optional<PeerOptions> parsed;
  try {
    parsed = parsePeerOptions(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::cerr << "diemcau-webrtc-peer: " << e.what() << "\n";
    return kExitUsage;
  }
  if (!parsed) {
    return kExitPassed;
  }
  const PeerOptions& options = *parsed;
  spdlog::set_level(spdlog::level::from_str(options.logLevel));
  gst_init(&argc, &argv);

  GMainContext* context = g_main_context_default();
  GMainLoop* loop = g_main_loop_new(context, FALSE);
  Run run(loop);
  PeerReport report;
  int exitCode = kExitFailed;
  try {
    std::unique_ptr<PeerMode> mode = makeMode(context, options, run);
    mode->start();
    g_timeout_add(static_cast<guint>(options.durationSeconds * 1000.0), quitLoop, loop);
    g_unix_signal_add(SIGINT, quitLoop, loop);
    g_unix_signal_add(SIGTERM, quitLoop, loop);
    g_main_loop_run(loop);
    mode->fillReport(report);  // before stop(): stop() closes the peer connection
    mode->stop();
    const bool passed = !run.failed() && report.passed(options.minVideoFrames, options.minAudioMs);
    exitCode = passed ? kExitPassed : kExitFailed;
  } catch (const std::invalid_argument& e) {
    std::cerr << "diemcau-webrtc-peer: " << e.what() << "\n";
    exitCode = kExitUsage;
    report.errors.emplace_back(e.what());
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    report.errors.emplace_back(e.what());
  }
  std::cout << report.toJson() << std::endl;
  g_main_loop_unref(loop);
  gst_deinit();  // lets leak checkers tell GStreamer's caches from real leaks
  return exitCode;
}
