#include "signaling/archive/render/RenderPlan.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace diemcau::signaling::archive::render {
namespace {

namespace fs = std::filesystem;

class RenderPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    for (const char* f : {"huyen-a.mkv", "lang-can-a.mkv", "lang-can-b.mkv", "na-hang-a.mkv", "son-phu-a.mkv"}) {
      write(f, "x");
    }
  }
  void TearDown() override { fs::remove_all(folder_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(folder_ / name) << text; }

  // The hall, Lang Can (recorded twice: it reconnected) and Na Hang, whose file is gone. Sơn Phú's
  // recording never got a start event.
  static std::string events(bool speakers) {
    std::string log = R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"}
{"at":"2026-12-01T01:00:00.000Z","type":"participant.joined","participant":{"id":"huyen","displayName":"Hội trường","role":"host"}}
{"at":"2026-12-01T01:00:00.500Z","type":"recording.started","participant":"huyen","file":"huyen-a.mkv"}
{"at":"2026-12-01T01:00:02.000Z","type":"participant.joined","participant":{"id":"lang-can","displayName":"Xã Lăng Can","role":"site"}}
{"at":"2026-12-01T01:00:02.000Z","type":"recording.started","participant":"lang-can","file":"lang-can-a.mkv"}
{"at":"2026-12-01T01:00:03.000Z","type":"recording.started","participant":"na-hang","file":"na-hang-a.mkv"}
{"at":"2026-12-01T01:00:04.000Z","type":"recording.stopped","participant":"lang-can","file":"lang-can-a.mkv"}
{"at":"2026-12-01T01:00:05.000Z","type":"recording.started","participant":"lang-can","file":"lang-can-b.mkv"}
{"at":"2026-12-01T01:00:06.000Z","type":"recording.stopped","participant":"son-phu","file":"son-phu-a.mkv"}
)";
    if (speakers) {
      log += R"({"at":"2026-12-01T01:00:03.000Z","type":"speaker.changed","participant":"lang-can"}
{"at":"2026-12-01T01:00:06.000Z","type":"speaker.changed","participant":"lang-can"}
{"at":"2026-12-01T01:00:07.000Z","type":"speaker.changed","participant":null}
{"at":"2026-12-01T01:00:08.000Z","type":"speaker.changed","participant":"na-hang"}
)";
    }
    return log + R"({"at":"2026-12-01T01:00:10.000Z","type":"meeting.ended"}
)";
  }

  fs::path folder_ = fs::temp_directory_path() / ("diemcau-plan-" + std::to_string(::getpid()));
};

TEST_F(RenderPlanTest, TracksAtTheirOffsetsHallFirst) {
  fs::remove(folder_ / "na-hang-a.mkv");
  write("events.jsonl", events(false));
  const RenderPlan plan = planRender(folder_);
  EXPECT_EQ(plan.durationMs, 10000);
  ASSERT_EQ(plan.tracks.size(), 3u);  // na-hang's file is missing, son-phu's never started
  EXPECT_EQ(plan.tracks[0].participant, "huyen");
  EXPECT_EQ(plan.tracks[0].displayName, "Hội trường");
  EXPECT_EQ(plan.tracks[0].offsetMs, 500);
  EXPECT_EQ(plan.tracks[1].file.filename(), "lang-can-a.mkv");
  EXPECT_EQ(plan.tracks[1].offsetMs, 2000);
  EXPECT_EQ(plan.tracks[1].durationMs, 2000);
  EXPECT_EQ(plan.tracks[2].file.filename(), "lang-can-b.mkv");
  EXPECT_EQ(plan.tracks[2].offsetMs, 5000);
  EXPECT_EQ(plan.tracks[2].durationMs, 0);  // never stopped: runs to the end
  EXPECT_EQ(plan.largeSource, "hall");
  ASSERT_EQ(plan.layout.size(), 1u);
  EXPECT_EQ(plan.layout[0].big, 0u);
}

TEST_F(RenderPlanTest, TheSpeakerGoesLargeAndTheHallWhenNobodySpeaks) {
  write("events.jsonl", events(true));
  const RenderPlan plan = planRender(folder_);
  ASSERT_EQ(plan.tracks.size(), 4u);
  EXPECT_EQ(plan.tracks[3].participant, "na-hang");  // not in the log's joins: after those who joined
  EXPECT_EQ(plan.largeSource, "speaker");
  // 0 hall; 3 s Lang Can's first file; 6 s its second (the first ended at 4 s); 7 s hall; 8 s Na Hang.
  ASSERT_EQ(plan.layout.size(), 5u);
  EXPECT_EQ(plan.layout[0].atMs, 0);
  EXPECT_EQ(plan.layout[0].big, 0u);
  EXPECT_EQ(plan.layout[1].atMs, 3000);
  EXPECT_EQ(plan.layout[1].big, 1u);
  EXPECT_EQ(plan.layout[2].atMs, 6000);
  EXPECT_EQ(plan.layout[2].big, 2u);
  EXPECT_EQ(plan.layout[3].atMs, 7000);
  EXPECT_EQ(plan.layout[3].big, 0u);
  EXPECT_EQ(plan.layout[4].atMs, 8000);
  EXPECT_EQ(plan.layout[4].big, 3u);
}

TEST_F(RenderPlanTest, AFileLeftOutHasNoTileAndTheLayoutIsMadeWithoutIt) {
  // Lang Can's first file did not decode: its second file stands in for it when it speaks.
  write("events.jsonl", events(true));
  const RenderPlan plan = planRender(folder_, {"lang-can-a.mkv"});
  ASSERT_EQ(plan.tracks.size(), 3u);
  for (const RenderTrack& t : plan.tracks) EXPECT_NE(t.file.filename(), "lang-can-a.mkv");
  EXPECT_EQ(plan.tracks[1].file.filename(), "lang-can-b.mkv");
  ASSERT_EQ(plan.layout.size(), 4u);  // 0 hall; 3 s Lang Can (its one file); 7 s hall; 8 s Na Hang
  EXPECT_EQ(plan.layout[1].atMs, 3000);
  EXPECT_EQ(plan.layout[1].big, 1u);
  EXPECT_EQ(plan.layout[2].big, 0u);
  EXPECT_EQ(plan.layout[3].big, 2u);
  // Leaving out every file leaves nothing to render.
  EXPECT_THROW(planRender(folder_, {"huyen-a.mkv", "lang-can-a.mkv", "lang-can-b.mkv", "na-hang-a.mkv"}),
               std::runtime_error);
}

TEST_F(RenderPlanTest, NoLogOrNoRecordingIsAnError) {
  EXPECT_THROW(planRender(folder_), std::runtime_error);
  write("events.jsonl", R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"}
)");
  EXPECT_THROW(planRender(folder_), std::runtime_error);
}

}  // namespace
}  // namespace diemcau::signaling::archive::render
