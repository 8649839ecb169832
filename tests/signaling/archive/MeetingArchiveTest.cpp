#include "signaling/archive/MeetingArchive.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "signaling/store/SqliteStore.hpp"
#include "tests/signaling/archive/ArchiveFixture.hpp"

namespace diemcau::signaling::archive {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

class MeetingArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(dataDir_);
    for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
             {"huyen", "Hội trường UBND huyện"}, {"lang-can", "Xã Lăng Can"}, {"na-hang", "Xã Na Hang"},
             {"son-phu", "Xã Sơn Phú"}, {"thuong-lam", "Xã Thượng Lâm"}}) {
      store::Site site;
      site.id = id;
      site.name = name;
      store_.addSite(site);
    }
    auto meeting = test::districtMeeting();
    meeting.start = sys_seconds(sys_days(year(2026) / 12 / 1).time_since_epoch() + hours(1));
    meeting.end = meeting.start + minutes(30);
    store_.addMeeting(meeting);
    folder_ = archive_.folderOf(meeting.id);
    fs::create_directories(folder_);
    write("events.jsonl", test::districtEvents());
    write("son-phu-20261201T010300Z.mkv", std::string(5000, 'm'));
  }
  void TearDown() override { fs::remove_all(dataDir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(folder_ / name) << text; }

  // Initialised before archive_, which keeps its own copy.
  fs::path dataDir_ = fs::temp_directory_path() / ("diemcau-archive-" + std::to_string(::getpid()) + "-" +
                                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  store::SqliteStore store_{":memory:"};
  MeetingArchive archive_{dataDir_, store_};
  fs::path folder_;
};

TEST_F(MeetingArchiveTest, CloseWritesMinutesAndSumsThatVerify) {
  const Minutes minutes = archive_.close("giao-ban-20261201");
  EXPECT_EQ(minutes.title, "Giao ban tháng 12");
  ASSERT_EQ(minutes.recordings.size(), 1u);
  EXPECT_EQ(minutes.recordings[0].sizeBytes, 5000u);
  for (const char* name : {"minutes.json", "minutes.md", "SHA256SUMS"}) EXPECT_TRUE(fs::exists(folder_ / name)) << name;

  std::ifstream sums(folder_ / "SHA256SUMS");
  std::string line;
  std::vector<std::string> names;
  while (std::getline(sums, line)) names.push_back(line.substr(66));
  EXPECT_EQ(names, (std::vector<std::string>{"events.jsonl", "minutes.json", "minutes.md",
                                             "son-phu-20261201T010300Z.mkv"}));
  const auto result = archive_.verify("giao-ban-20261201");
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.checked, 4u);

  const auto listed = archive_.list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].closed);
  EXPECT_EQ(listed[0].recordings, 1u);
  EXPECT_EQ(listed[0].recordingBytes, 5000u);
  EXPECT_EQ(listed[0].title, "Giao ban tháng 12");
}

TEST_F(MeetingArchiveTest, VerifySaysWhichFileChanged) {
  archive_.close("giao-ban-20261201");
  {
    std::fstream file(folder_ / "son-phu-20261201T010300Z.mkv", std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(1234);
    file.put('X');
  }
  auto result = archive_.verify("giao-ban-20261201");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.changed, std::vector<std::string>{"son-phu-20261201T010300Z.mkv"});
  EXPECT_TRUE(result.missing.empty());

  fs::remove(folder_ / "minutes.md");
  write("extra.txt", "added later");
  result = archive_.verify("giao-ban-20261201");
  EXPECT_EQ(result.missing, std::vector<std::string>{"minutes.md"});
  EXPECT_EQ(result.unlisted, std::vector<std::string>{"extra.txt"});
}

TEST_F(MeetingArchiveTest, RecoveryClosesAMeetingWhoseServerDied) {
  // The log stops mid-meeting: no meeting.ended, no room.closed.
  std::string events = test::districtEvents();
  events = events.substr(0, events.find("{\"at\":\"2026-12-01T01:27"));
  write("events.jsonl", events);
  EXPECT_EQ(archive_.recover(), std::vector<std::string>{"giao-ban-20261201"});
  std::ifstream in(folder_ / "minutes.json");
  const auto minutes = nlohmann::json::parse(in);
  EXPECT_EQ(minutes["interrupted"], true);
  EXPECT_EQ(minutes["ended"], "2026-12-01T01:22:00.001Z");  // the last thing logged
  EXPECT_TRUE(archive_.verify("giao-ban-20261201").ok());
  EXPECT_TRUE(archive_.recover().empty());  // closed archives are left alone
}

TEST_F(MeetingArchiveTest, RetentionRemovesOldRecordingsOnlyAndAudits) {
  archive_.close("giao-ban-20261201");
  const auto december10 = sys_seconds(sys_days(year(2026) / 12 / 10).time_since_epoch());
  EXPECT_TRUE(archive_.applyRetention(30, december10).empty());
  EXPECT_TRUE(fs::exists(folder_ / "son-phu-20261201T010300Z.mkv"));

  const auto february = sys_seconds(sys_days(year(2027) / 2 / 1).time_since_epoch());
  EXPECT_EQ(archive_.applyRetention(30, february),
            std::vector<std::string>{"giao-ban-20261201/son-phu-20261201T010300Z.mkv"});
  EXPECT_FALSE(fs::exists(folder_ / "son-phu-20261201T010300Z.mkv"));
  EXPECT_TRUE(fs::exists(folder_ / "minutes.md"));
  EXPECT_TRUE(archive_.verify("giao-ban-20261201").ok());
  const auto audit = store_.listAudit(10);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action, "archive.retention");
  EXPECT_EQ(audit[0].target, "giao-ban-20261201");
  EXPECT_NE(audit[0].detail.find("son-phu-20261201T010300Z.mkv"), std::string::npos);
}

TEST_F(MeetingArchiveTest, UnsafeIdsAreRefused) {
  EXPECT_THROW(archive_.folderOf("../etc"), std::invalid_argument);
  EXPECT_THROW(archive_.folderOf(""), std::invalid_argument);
  EXPECT_THROW(archive_.verify("a/b"), std::invalid_argument);
}

}  // namespace
}  // namespace diemcau::signaling::archive
