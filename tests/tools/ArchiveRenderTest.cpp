// diemcauctl archive render on a synthetic archive made here: three recordings of solid colours with
// known lengths and offsets (gst-launch-1.0), an event log with a speaker change. The output must last
// as long as the meeting, and its frames must show the expected tiles in the expected places.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/tools/CtlProcess.hpp"

namespace diemcau::tools::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kWidth = 384;  // a 3 x 2 grid of 128 x 108 cells; the large tile is 256 x 216
constexpr int kHeight = 216;
constexpr int kFps = 25;

struct Rgb {
  int r = 0, g = 0, b = 0;
};

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

/// A Matroska recording of `seconds` of one colour (0xRRGGBB), VP8 at 320x240, with Opus audio or none.
void makeRecording(const fs::path& file, unsigned rgb, double seconds, bool audio) {
  char colour[16];
  std::snprintf(colour, sizeof colour, "0xff%06x", rgb);
  std::string command = "gst-launch-1.0 -q videotestsrc pattern=solid-color foreground-color=" + std::string(colour) +
                        " num-buffers=" + std::to_string(static_cast<int>(seconds * kFps)) +
                        " ! video/x-raw,width=320,height=240,framerate=25/1 ! vp8enc deadline=1 ! queue ! "
                        "matroskamux name=mux ! filesink location='" + file.string() + "'";
  if (audio) {
    command += " audiotestsrc num-buffers=" + std::to_string(static_cast<int>(seconds * 50)) +
               " samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=1 ! opusenc ! queue ! mux.";
  }
  ASSERT_EQ(std::system((command + " >/dev/null 2>&1").c_str()), 0) << command;
}

class ArchiveRenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("gst-launch-1.0 --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "gst-launch-1.0 missing";
    fs::remove_all(dir_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Decodes the output to raw RGB frames (small: a few seconds at 384 x 216).
  void decode(const fs::path& video) {
    const std::string command = "gst-launch-1.0 -q filesrc location='" + video.string() +
                                "' ! decodebin ! videoconvert ! video/x-raw,format=RGB ! filesink location='" +
                                raw().string() + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0);
    frames_ = slurpFile(raw());
  }
  Rgb pixel(int frame, int x, int y) const {
    const size_t at = (static_cast<size_t>(frame) * kWidth * kHeight + static_cast<size_t>(y) * kWidth + x) * 3;
    if (at + 2 >= frames_.size()) return {-1, -1, -1};
    return {static_cast<unsigned char>(frames_[at]), static_cast<unsigned char>(frames_[at + 1]),
            static_cast<unsigned char>(frames_[at + 2])};
  }
  static char colourOf(const Rgb& p) {
    auto high = [](int v) { return v > 160; };
    auto low = [](int v) { return v < 90; };
    if (high(p.r) && low(p.g) && low(p.b)) return 'R';
    if (low(p.r) && high(p.g) && low(p.b)) return 'G';
    if (low(p.r) && low(p.g) && high(p.b)) return 'B';
    if (low(p.r) && low(p.g) && low(p.b)) return '.';
    return '?';
  }
  /// The colours at the centres of the large tile and the two small cells, e.g. "RBG".
  std::string tilesAt(double seconds) const {
    const int frame = static_cast<int>(seconds * kFps);
    return {colourOf(pixel(frame, 128, 108)), colourOf(pixel(frame, 320, 54)), colourOf(pixel(frame, 320, 162))};
  }
  fs::path raw() const { return dir_ / "frames.rgb"; }

  fs::path dir_ = fs::temp_directory_path() / ("diemcau-render-" + std::to_string(::getpid()));
  fs::path folder_ = dir_ / "giao-ban-render";
  std::string frames_;
};

TEST_F(ArchiveRenderTest, CompositeLastsTheMeetingAndShowsTheSpeakerLarge) {
  // The hall (red) records the whole 4 s meeting; Xã B (blue, no audio) from 0.5 s for 2 s; Xã A
  // (green) from 1 s to the end, and speaks from 2 s on.
  makeRecording(folder_ / "huyen.mkv", 0xff0000, 4.0, true);
  makeRecording(folder_ / "b.mkv", 0x0000ff, 2.0, false);
  makeRecording(folder_ / "a.mkv", 0x00ff00, 3.0, true);
  std::ofstream(folder_ / "events.jsonl") << R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"}
{"at":"2026-12-01T01:00:00.000Z","type":"participant.joined","participant":{"id":"huyen","displayName":"Hội trường","role":"host"}}
{"at":"2026-12-01T01:00:00.000Z","type":"recording.started","participant":"huyen","file":"huyen.mkv"}
{"at":"2026-12-01T01:00:00.500Z","type":"participant.joined","participant":{"id":"b","displayName":"Xã B","role":"site"}}
{"at":"2026-12-01T01:00:00.500Z","type":"recording.started","participant":"b","file":"b.mkv"}
{"at":"2026-12-01T01:00:01.000Z","type":"participant.joined","participant":{"id":"a","displayName":"Xã A","role":"site"}}
{"at":"2026-12-01T01:00:01.000Z","type":"recording.started","participant":"a","file":"a.mkv"}
{"at":"2026-12-01T01:00:02.000Z","type":"speaker.changed","participant":"a"}
{"at":"2026-12-01T01:00:02.500Z","type":"recording.stopped","participant":"b","file":"b.mkv"}
{"at":"2026-12-01T01:00:04.000Z","type":"meeting.ended","reason":"ended by the chair"}
)";
  const fs::path video = dir_ / "meeting.mp4";
  const CtlResult rendered = runCtl({"--json", "archive", "render", folder_.string(), "-o", video.string(),
                                     "--width", std::to_string(kWidth), "--height", std::to_string(kHeight)},
                                    dir_);
  ASSERT_EQ(rendered.exit, 0) << rendered.err;
  const json summary = json::parse(rendered.out);
  EXPECT_EQ(summary["tiles"], 3);
  EXPECT_EQ(summary["large"], "speaker");
  EXPECT_GT(summary["speed"].get<double>(), 0);

  const std::string discovered = run("gst-discoverer-1.0 '" + video.string() + "' 2>&1");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(discovered, match, std::regex(R"(Duration: (\d+):(\d+):(\d+\.\d+))"))) << discovered;
  const double seconds = std::stod(match[1]) * 3600 + std::stod(match[2]) * 60 + std::stod(match[3]);
  EXPECT_NEAR(seconds, 4.0, 0.1) << discovered;
  EXPECT_NE(discovered.find("H.264"), std::string::npos) << discovered;
  EXPECT_NE(discovered.find("AAC"), std::string::npos) << discovered;

  decode(video);
  ASSERT_EQ(frames_.size() % (kWidth * kHeight * 3), 0u);
  EXPECT_NEAR(static_cast<double>(frames_.size()) / (kWidth * kHeight * 3), 4.0 * kFps, 2);
  EXPECT_EQ(tilesAt(0.2), "R..") << "only the hall has started";
  EXPECT_EQ(tilesAt(1.5), "RBG") << "the hall large, B and A small, in the order they joined";
  EXPECT_EQ(tilesAt(2.2), "GRB") << "A speaks: large; the hall and B move to the small cells";
  EXPECT_EQ(tilesAt(3.2), "GR.") << "B's recording ended at 2.5 s";
}

TEST_F(ArchiveRenderTest, ADamagedRecordingIsSkippedAndTheRestRendered) {
  // The hall (red) is readable; b.mkv starts like Matroska (the EBML magic) and then is garbage, as a
  // file cut off at its first bytes would be.
  makeRecording(folder_ / "huyen.mkv", 0xff0000, 2.0, true);
  std::ofstream(folder_ / "b.mkv", std::ios::binary) << "\x1a\x45\xdf\xa3 this is not a Matroska file at all";
  std::ofstream(folder_ / "events.jsonl") << R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"}
{"at":"2026-12-01T01:00:00.000Z","type":"recording.started","participant":"huyen","file":"huyen.mkv"}
{"at":"2026-12-01T01:00:00.000Z","type":"recording.started","participant":"b","file":"b.mkv"}
{"at":"2026-12-01T01:00:02.000Z","type":"meeting.ended"}
)";
  const fs::path video = dir_ / "meeting.mp4";
  const CtlResult rendered = runCtl({"--json", "archive", "render", folder_.string(), "-o", video.string(), "--width",
                                     std::to_string(kWidth), "--height", std::to_string(kHeight)},
                                    dir_);
  ASSERT_EQ(rendered.exit, 0) << rendered.err;
  EXPECT_NE(rendered.err.find("skipped b.mkv: it does not decode"), std::string::npos) << rendered.err;
  const json summary = json::parse(rendered.out);
  EXPECT_EQ(summary["tiles"], 1) << "only the hall's tile is left";
  ASSERT_EQ(summary["skipped"].size(), 1u) << summary.dump();
  EXPECT_EQ(summary["skipped"][0]["file"], "b.mkv");
  EXPECT_FALSE(summary["skipped"][0]["reason"].get<std::string>().empty());
  decode(video);
  EXPECT_NEAR(static_cast<double>(frames_.size()) / (kWidth * kHeight * 3), 2.0 * kFps, 2);
  // The layout is made for the hall alone: its one tile fills the picture, no cell is kept for b.
  EXPECT_EQ(tilesAt(1.0), "RRR");
}

TEST_F(ArchiveRenderTest, NothingReadableFailsCleanlyNamingEachFile) {
  std::ofstream(folder_ / "a.mkv", std::ios::binary) << "\x1a\x45\xdf\xa3 garbage";
  std::ofstream(folder_ / "b.mkv", std::ios::binary) << "not even the magic";
  std::ofstream(folder_ / "events.jsonl") << R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"}
{"at":"2026-12-01T01:00:00.000Z","type":"recording.started","participant":"a","file":"a.mkv"}
{"at":"2026-12-01T01:00:00.000Z","type":"recording.started","participant":"b","file":"b.mkv"}
{"at":"2026-12-01T01:00:02.000Z","type":"meeting.ended"}
)";
  const fs::path video = dir_ / "meeting.mp4";
  const CtlResult rendered = runCtl({"archive", "render", folder_.string(), "-o", video.string()}, dir_);
  EXPECT_EQ(rendered.exit, 1);
  EXPECT_NE(rendered.err.find("no recording could be rendered"), std::string::npos) << rendered.err;
  EXPECT_NE(rendered.err.find("a.mkv ("), std::string::npos) << rendered.err;
  EXPECT_NE(rendered.err.find("b.mkv ("), std::string::npos) << rendered.err;
  EXPECT_TRUE(rendered.out.empty()) << rendered.out;
  EXPECT_FALSE(fs::exists(video)) << "no partial output is left behind";
}

TEST_F(ArchiveRenderTest, RefusesAFolderWithoutRecordings) {
  std::ofstream(folder_ / "events.jsonl") << R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"}
)";
  const CtlResult result = runCtl({"archive", "render", folder_.string(), "-o", (dir_ / "x.mp4").string()}, dir_);
  EXPECT_EQ(result.exit, 1);
  EXPECT_NE(result.err.find("no recording"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir_ / "x.mp4"));
  EXPECT_EQ(runCtl({"archive", "render", (dir_ / "missing").string()}, dir_).exit, 2);
  EXPECT_EQ(runCtl({"archive", "render", folder_.string(), "-o", "x.avi"}, dir_).exit, 2);
}

}  // namespace
}  // namespace diemcau::tools::test
