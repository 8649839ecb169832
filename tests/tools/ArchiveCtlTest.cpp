// diemcauctl archive list/show/verify/export and the /api/v1/archives routes behind them, against a
// real server on loopback serving a data directory this test fills.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "signaling/archive/MeetingArchive.hpp"
#include "signaling/store/SqliteStore.hpp"
#include "tests/signaling/archive/ArchiveFixture.hpp"
#include "tests/tools/CtlProcess.hpp"
#include "tools/diemcauctl/AdminClient.hpp"

namespace diemcau::tools::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kClosed = "giao-ban-20261201";
constexpr const char* kRecording = "son-phu-20261201T010300Z.mkv";

class ArchiveCtlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(dir_);
    fs::create_directories(data_);
    {
      // A closed archive, as the meeting service leaves it, and one still open (live).
      signaling::store::SqliteStore store((data_ / "diemcau.db").string());
      for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
               {"huyen", "Hội trường UBND huyện"}, {"lang-can", "Xã Lăng Can"}, {"na-hang", "Xã Na Hang"},
               {"son-phu", "Xã Sơn Phú"}, {"thuong-lam", "Xã Thượng Lâm"}}) {
        signaling::store::Site site;
        site.id = id;
        site.name = name;
        store.addSite(site);
      }
      auto meeting = signaling::archive::test::districtMeeting();
      using namespace std::chrono;
      meeting.start = sys_seconds(sys_days(year(2026) / 12 / 1).time_since_epoch() + hours(1));
      meeting.end = meeting.start + minutes(30);
      store.addMeeting(meeting);
      signaling::archive::MeetingArchive archive(data_, store);
      const fs::path closed = archive.folderOf(kClosed);
      fs::create_directories(closed);
      std::ofstream(closed / "events.jsonl") << signaling::archive::test::districtEvents();
      std::string video(300000, '\0');
      for (size_t i = 0; i < video.size(); ++i) video[i] = static_cast<char>(i * 7 + (i >> 9));
      std::ofstream(closed / kRecording, std::ios::binary) << video;
      archive.close(kClosed);
      const fs::path open = archive.folderOf("hop-dot-xuat");
      fs::create_directories(open);
      std::ofstream(open / "events.jsonl") << R"({"at":"2026-12-02T02:00:00.000Z","type":"room.created"}
{"at":"2026-12-02T02:00:05.000Z","type":"participant.joined","participant":{"id":"huyen","displayName":"H","role":"host"}}
)";
    }
    server_ = std::make_unique<TestServer>(data_);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  CtlResult ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--url", server_->url(), "--data-dir", data_.string()});
    return runCtl(args, dir_);
  }
  ctl::AdminClient client(std::string key = {}) const {
    if (key.empty()) key = slurpFile(data_ / "admin.key");
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    return ctl::AdminClient(server_->url(), key);
  }
  fs::path folder() const { return data_ / "archive" / kClosed; }

  fs::path dir_ = fs::temp_directory_path() / ("diemcau-archive-ctl-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::path data_ = dir_ / "data";
  std::unique_ptr<TestServer> server_;
};

TEST_F(ArchiveCtlTest, ListAndShow) {
  auto listed = ctl({"--json", "archive", "list"});
  ASSERT_EQ(listed.exit, 0) << listed.err;
  const json list = json::parse(listed.out);
  ASSERT_EQ(list.size(), 2u);
  const json& closed = list[0];  // sorted by id
  EXPECT_EQ(closed["id"], kClosed);
  EXPECT_EQ(closed["title"], "Giao ban tháng 12");
  EXPECT_EQ(closed["state"], "closed");
  EXPECT_EQ(closed["started"], "2026-12-01T01:00:00.000Z");
  EXPECT_EQ(closed["durationMs"], 30 * 60 * 1000);  // to meeting.ended
  EXPECT_EQ(closed["recordings"], 1);
  EXPECT_EQ(closed["files"], 5);  // events, recording, minutes.json, minutes.md, SHA256SUMS
  EXPECT_GT(closed["sizeBytes"].get<uint64_t>(), 300000u);
  EXPECT_TRUE(closed["verified"].is_null()) << "not verified since the server started";
  EXPECT_EQ(list[1]["state"], "open");
  EXPECT_EQ(list[1]["durationMs"], 5000);
  EXPECT_TRUE(list[1]["ended"].is_null());

  auto table = ctl({"archive", "list"});
  ASSERT_EQ(table.exit, 0);
  EXPECT_EQ(table.out.rfind("MEETING", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("0:30:00"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Giao ban tháng 12"), std::string::npos);

  auto shown = ctl({"--json", "archive", "show", kClosed});
  ASSERT_EQ(shown.exit, 0) << shown.err;
  const json show = json::parse(shown.out);
  EXPECT_EQ(show["minutes"]["meeting"]["title"], "Giao ban tháng 12");
  bool sawRecording = false;
  for (const json& f : show["files"]) {
    if (f["name"] != kRecording) continue;
    sawRecording = true;
    EXPECT_EQ(f["kind"], "recording");
    EXPECT_EQ(f["sizeBytes"], 300000);
    EXPECT_EQ(f["participant"], "son-phu");
    EXPECT_EQ(f["durationMs"], 30000);
  }
  EXPECT_TRUE(sawRecording) << show.dump(2);
  auto people = ctl({"archive", "show", kClosed});
  EXPECT_NE(people.out.find("Xã Sơn Phú"), std::string::npos) << people.out;
  EXPECT_NE(people.out.find("293.0 KiB"), std::string::npos) << people.out;

  EXPECT_EQ(ctl({"archive", "show", "nowhere"}).exit, 1);
  EXPECT_EQ(ctl({"archive", "show"}).exit, 2);
}

TEST_F(ArchiveCtlTest, VerifyNamesTheFileWhoseByteChanged) {
  auto good = ctl({"archive", "verify", kClosed});
  EXPECT_EQ(good.exit, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("ok, 4 files"), std::string::npos) << good.out;
  EXPECT_EQ(json::parse(ctl({"--json", "archive", "list"}).out)[0]["verified"], true);

  {
    std::fstream file(folder() / kRecording, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(123456);
    file.put('\x5a');  // the file held (123456 * 7 + 241) mod 256 = 1 there
  }
  auto bad = ctl({"archive", "verify", kClosed});
  EXPECT_EQ(bad.exit, 1);
  EXPECT_NE(bad.out.find(std::string("CHANGED   ") + kRecording), std::string::npos) << bad.out;
  auto badJson = ctl({"--json", "archive", "verify", kClosed});
  EXPECT_EQ(badJson.exit, 1);
  const json result = json::parse(badJson.out);
  EXPECT_EQ(result["ok"], false);
  EXPECT_EQ(result["changed"], json::array({kRecording}));
  EXPECT_EQ(json::parse(ctl({"--json", "archive", "list"}).out)[0]["verified"], false);

  fs::remove(folder() / "minutes.md");
  std::ofstream(folder() / "notes.txt") << "added later";
  auto changed = ctl({"archive", "verify", kClosed});
  EXPECT_EQ(changed.exit, 1);
  EXPECT_NE(changed.out.find("MISSING   minutes.md"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("UNLISTED  notes.txt"), std::string::npos) << changed.out;

  auto open = ctl({"archive", "verify", "hop-dot-xuat"});
  EXPECT_EQ(open.exit, 1);
  EXPECT_NE(open.out.find("no SHA256SUMS"), std::string::npos) << open.out;
}

TEST_F(ArchiveCtlTest, ExportStreamsATarThatExtractsToTheSameBytes) {
  const fs::path tar = dir_ / "out.tar";
  auto exported = ctl({"archive", "export", kClosed, "-o", tar.string()});
  ASSERT_EQ(exported.exit, 0) << exported.err;
  EXPECT_NE(exported.out.find("wrote"), std::string::npos);
  fs::create_directories(dir_ / "x");
  ASSERT_EQ(std::system(("tar -xf '" + tar.string() + "' -C '" + (dir_ / "x").string() + "'").c_str()), 0);
  size_t files = 0;
  for (const auto& f : fs::directory_iterator(folder())) {
    ++files;
    EXPECT_EQ(slurpFile(dir_ / "x" / kClosed / f.path().filename()), slurpFile(f.path())) << f.path();
  }
  EXPECT_EQ(files, 5u);
  // The extracted folder still verifies with the standard tool.
  const std::string check = "cd '" + (dir_ / "x" / kClosed).string() + "' && sha256sum --quiet -c SHA256SUMS";
  EXPECT_EQ(std::system(check.c_str()), 0);

  auto unknown = ctl({"archive", "export", "nowhere", "-o", (dir_ / "none.tar").string()});
  EXPECT_EQ(unknown.exit, 1);
  EXPECT_NE(unknown.err.find("not found"), std::string::npos) << unknown.err;
  EXPECT_FALSE(fs::exists(dir_ / "none.tar"));
  EXPECT_FALSE(fs::exists(dir_ / "none.tar.part"));
}

TEST_F(ArchiveCtlTest, ApiRefusesTraversalUnknownNamesAndWrongKeys) {
  const auto api = client();
  for (const std::string path : {"archives/..%2F..%2Fetc", "archives/..", "archives/%2E%2E", "archives/a%2Fb",
                                 "archives/nowhere", "archives/nowhere/verify"}) {
    const auto reply = api.request("GET", path);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_EQ(reply.body["error"]["code"], "not_found") << path;
  }
  EXPECT_EQ(api.request("DELETE", std::string("archives/") + kClosed).status, 405);
  EXPECT_EQ(api.request("GET", std::string("archives/") + kClosed + "/verify").body["ok"], true);
  EXPECT_EQ(api.request("POST", std::string("archives/") + kClosed + "/verify").body["checked"], 4);  // all but SHA256SUMS
  EXPECT_EQ(api.download("archives/..%2F..%2Fetc/export", (dir_ / "t.tar").string()).status, 404);
  EXPECT_EQ(client(std::string(64, 'f')).download(std::string("archives/") + kClosed + "/export",
                                                  (dir_ / "t.tar").string())
                .status,
            401);
  EXPECT_FALSE(fs::exists(dir_ / "t.tar"));
  // Exports and verifications are audited.
  const auto audit = api.request("GET", "audit");
  bool exported = false;
  for (const json& e : audit.body) exported |= e.value("action", "") == "archive.verify";
  EXPECT_TRUE(exported) << audit.body.dump();
}

}  // namespace
}  // namespace diemcau::tools::test
