#include "media/recorder/ParticipantRecorder.hpp"

#include <gst/gst.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "tests/media/recorder/RtpFeed.hpp"

// Under -DDIEMCAU_SANITIZE=ON: GLib keeps a 16 KiB per-thread buffer for GStreamer's streaming
// threads that outlives them; it is not ours and does not grow with the number of recordings.
extern "C" const char* __lsan_default_suppressions() { return "leak:libglib-2.0.so\n"; }

namespace diemcau::media::recorder {
namespace {

namespace fs = std::filesystem;
using test::FedPacket;

class CountingListener : public ParticipantRecorder::Listener {
 public:
  void onRecordingFailed(const fs::path&, std::string_view message) override {
    std::lock_guard lock(mutex);
    failures.emplace_back(message);
  }
  void onKeyframeNeeded(size_t track) override {
    if (track == 0) ++keyframeRequests;
  }
  std::mutex mutex;
  std::vector<std::string> failures;
  std::atomic<int> keyframeRequests{0};
};

class ParticipantRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gst_init(nullptr, nullptr);
    dir_ = fs::temp_directory_path() / ("diemcau-recorder-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::vector<RecordedTrack> videoAndAudio() {
    return {{RecordedCodec::Vp8, 96, 90000}, {RecordedCodec::Opus, 111, 48000}};
  }

  fs::path dir_;
};

bool has(const std::vector<std::string>& codecs, const std::string& wanted) {
  return std::find(codecs.begin(), codecs.end(), wanted) != codecs.end();
}

TEST_F(ParticipantRecorderTest, AudioAndVideoFileHasBothCodecsAndTheFedDuration) {
  const auto packets = test::merge(test::encodeVp8(4, 0), test::encodeOpus(4, 1));
  const fs::path file = dir_ / "lang-can.mkv";
  CountingListener listener;
  {
    ParticipantRecorder recorder(file, videoAndAudio(), &listener);
    test::feedRealTime(packets, [&](const FedPacket& p) { recorder.sink(p.track).onRtp(p.bytes); });
    recorder.stop();
    const auto stats = recorder.stats();
    EXPECT_EQ(stats.packetsQueued, packets.size());
    EXPECT_EQ(stats.packetsWritten, packets.size());
    EXPECT_EQ(stats.droppedQueueFull + stats.droppedFailed + stats.droppedStalled, 0u);
    EXPECT_FALSE(stats.failed);
  }
  EXPECT_TRUE(listener.failures.empty());
  const auto found = test::discover(file.string());
  ASSERT_TRUE(found.ok) << found.output;
  EXPECT_TRUE(has(found.codecs, "video:VP8")) << found.output;
  EXPECT_TRUE(has(found.codecs, "audio:Opus")) << found.output;
  EXPECT_NEAR(found.durationSeconds, 4.0, 1.0) << found.output;
}

// A chair mute drops the site's audio on the bridge for a while; the RTP timestamps keep running, so
// the silence is a gap of the right length, not a jump that shortens the file.
TEST_F(ParticipantRecorderTest, MutedAudioLeavesAGapOfTheRightLength) {
  const auto packets = test::encodeOpus(5, 0);
  const fs::path file = dir_ / "muted.mkv";
  ParticipantRecorder recorder(file, {{RecordedCodec::Opus, 111, 48000}}, nullptr);
  const auto muted = [](const FedPacket& p) { return p.ptsNs >= 1'000'000'000 && p.ptsNs < 3'500'000'000; };
  test::feedRealTime(packets, [&](const FedPacket& p) { recorder.sink(0).onRtp(p.bytes); }, muted);
  recorder.stop();
  const auto found = test::discover(file.string());
  ASSERT_TRUE(found.ok) << found.output;
  EXPECT_TRUE(has(found.codecs, "audio:Opus")) << found.output;
  // Without the gap the file would last 2.5 s.
  EXPECT_NEAR(found.durationSeconds, 5.0, 1.0) << found.output;
}

// A late recording (or a late joiner seen mid-stream) starts between keyframes: the recorder asks for
// one and the file starts decodable.
TEST_F(ParticipantRecorderTest, StartingBetweenKeyframesAsksForOne) {
  const auto packets = test::encodeVp8(3, 0);
  const fs::path file = dir_ / "late.mkv";
  CountingListener listener;
  ParticipantRecorder recorder(file, {{RecordedCodec::Vp8, 96, 90000}}, &listener);
  const auto beforeFirstPoll = [](const FedPacket& p) { return p.ptsNs < 400'000'000; };
  test::feedRealTime(packets, [&](const FedPacket& p) { recorder.sink(0).onRtp(p.bytes); }, beforeFirstPoll);
  recorder.stop();
  EXPECT_GE(listener.keyframeRequests.load(), 1);
  const auto found = test::discover(file.string());
  ASSERT_TRUE(found.ok) << found.output;
  EXPECT_TRUE(has(found.codecs, "video:VP8")) << found.output;
}

TEST_F(ParticipantRecorderTest, UnwritableFolderIsReportedAndPacketsAreDroppedNotBlocked) {
  const fs::path blocker = dir_ / "not-a-folder";
  { std::ofstream(blocker) << "x"; }
  CountingListener listener;
  const auto packets = test::encodeOpus(0.5, 0);
  ParticipantRecorder recorder(blocker / "x.mkv", {{RecordedCodec::Opus, 111, 48000}}, &listener);
  for (const auto& p : packets) recorder.sink(0).onRtp(p.bytes);
  recorder.stop();
  ASSERT_EQ(listener.failures.size(), 1u);
  const auto stats = recorder.stats();
  EXPECT_TRUE(stats.failed);
  EXPECT_EQ(stats.packetsWritten, 0u);
  EXPECT_EQ(stats.droppedFailed, packets.size());
}

TEST_F(ParticipantRecorderTest, FullQueueDropsAndCountsWithoutBlocking) {
  const auto packets = test::encodeVp8(2, 0);
  ASSERT_GT(packets.size(), 64u);
  ParticipantRecorder::Options options;
  options.queueSlots = 16;
  ParticipantRecorder recorder(dir_ / "burst.mkv", {{RecordedCodec::Vp8, 96, 90000}}, nullptr, options);
  const auto start = std::chrono::steady_clock::now();
  for (const auto& p : packets) recorder.sink(0).onRtp(p.bytes);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const auto stats = recorder.stats();
  EXPECT_GT(stats.droppedQueueFull, 0u);
  EXPECT_EQ(stats.packetsQueued + stats.droppedQueueFull, packets.size());
  EXPECT_LT(elapsed, std::chrono::milliseconds(200));
}

struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child spawnRecorder(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(RECORDER_CHILD));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(RECORDER_CHILD, argv.data());
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

std::string readAll(int fd) {
  std::string text;
  char buffer[256];
  ssize_t n = 0;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  return text;
}

TEST_F(ParticipantRecorderTest, KillNineLeavesAPlayableFile) {
  const fs::path file = dir_ / "crash.mkv";
  Child child = spawnRecorder({file.string(), "10"});
  ASSERT_GT(child.pid, 0);
  char word[10] = {};
  ASSERT_EQ(read(child.out, word, 10), 10);  // "recording\n": the feed has started
  std::this_thread::sleep_for(std::chrono::seconds(4));
  ASSERT_EQ(kill(child.pid, SIGKILL), 0);
  int status = 0;
  waitpid(child.pid, &status, 0);
  close(child.out);
  ASSERT_TRUE(WIFSIGNALED(status));
  const auto found = test::discover(file.string());
  ASSERT_TRUE(found.ok) << found.output;
  EXPECT_TRUE(has(found.codecs, "video:VP8")) << found.output;
  EXPECT_TRUE(has(found.codecs, "audio:Opus")) << found.output;
  // At most about a cluster (1 s) and the jitter buffer's latency are lost.
  EXPECT_NEAR(found.durationSeconds, 4.0, 1.6) << found.output;
}

TEST_F(ParticipantRecorderTest, DiskFullIsReportedAndWhatWasWrittenStillPlays) {
  const fs::path file = dir_ / "full.mkv";
  Child child = spawnRecorder({file.string(), "4", "120000"});
  ASSERT_GT(child.pid, 0);
  const std::string out = readAll(child.out);
  int status = 0;
  waitpid(child.pid, &status, 0);
  close(child.out);
  ASSERT_TRUE(WIFEXITED(status)) << out;
  EXPECT_EQ(WEXITSTATUS(status), 3) << out;  // the failure was reported, and the process went on to the end
  EXPECT_NE(out.find("failed: "), std::string::npos) << out;
  EXPECT_LE(fs::file_size(file), 120000u);
  const auto found = test::discover(file.string());
  ASSERT_TRUE(found.ok) << found.output;
  EXPECT_TRUE(has(found.codecs, "video:VP8")) << found.output;
  EXPECT_GT(found.durationSeconds, 0.5) << found.output;
}

}  // namespace
}  // namespace diemcau::media::recorder
