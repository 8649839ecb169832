#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "signaling/tokens/TokenService.hpp"
#include "tests/tools/CtlProcess.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using Result = diemcau::tools::test::CtlResult;
using ServerProcess = diemcau::tools::test::TestServer;

class DiemcauctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("diemcauctl-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  void startServer(bool demo = false) { server_ = std::make_unique<ServerProcess>(dir_ / "data", demo); }

  Result ctl(std::vector<std::string> args, bool withKey = true) {
    std::vector<std::string> argv{DIEMCAUCTL_BIN, "--url", server_ ? server_->url() : "http://127.0.0.1:1"};
    if (withKey) {
      argv.push_back("--data-dir");
      argv.push_back((dir_ / "data").string());
    }
    argv.insert(argv.end(), args.begin(), args.end());
    argv.erase(argv.begin());  // runCtl names the binary itself
    return diemcau::tools::test::runCtl(argv, dir_);
  }

  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(DiemcauctlTest, SitesWithExitCodes) {
  startServer();
  EXPECT_NE(server_->output().find("admin key"), std::string::npos) << "printed once at first start";
  EXPECT_EQ(ctl({"site", "add", "huyen", "--name", "Hội trường UBND huyện", "--kind", "hall"}).exit, 0);
  auto added = ctl({"site", "add", "lang-can", "--name", "Xã Lăng Can", "--kind", "commune"});
  EXPECT_EQ(added.exit, 0) << added.err;
  auto list = ctl({"site", "list"});
  EXPECT_EQ(list.exit, 0);
  EXPECT_NE(list.out.find("Xã Lăng Can"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.rfind("ID", 0), 0u) << "a table with a header";
  auto listJson = ctl({"--json", "site", "list"});
  ASSERT_EQ(listJson.exit, 0);
  EXPECT_EQ(json::parse(listJson.out).size(), 2u);

  auto dup = ctl({"site", "add", "lang-can", "--name", "X"});
  EXPECT_EQ(dup.exit, 1);
  EXPECT_NE(dup.err.find("already exists"), std::string::npos) << dup.err;
  EXPECT_EQ(ctl({"site", "add", "x"}).exit, 2) << "missing --name";
  EXPECT_EQ(ctl({"site", "fly"}).exit, 2);
  EXPECT_EQ(ctl({"teleport"}).exit, 2);
  EXPECT_EQ(ctl({"site", "show", "nowhere"}).exit, 1);

  auto wrongKey = ctl({"--key", std::string(64, 'f'), "site", "list"}, false);
  EXPECT_EQ(wrongKey.exit, 1);
  EXPECT_NE(wrongKey.err.find("admin key is wrong"), std::string::npos) << wrongKey.err;
}

TEST_F(DiemcauctlTest, MeetingsLinksIcsAndBadInput) {
  startServer();
  ASSERT_EQ(ctl({"site", "add", "huyen", "--name", "Hội trường UBND huyện", "--kind", "hall"}).exit, 0);
  ASSERT_EQ(ctl({"site", "add", "lang-can", "--name", "Xã Lăng Can", "--kind", "commune"}).exit, 0);
  ASSERT_EQ(ctl({"site", "add", "bac-ha", "--name", "Xã Bắc Hà"}).exit, 0);

  auto scheduled = ctl({"--json", "meeting", "schedule", "--title", "Giao ban tuần", "--host", "huyen",
                        "--sites", "lang-can,bac-ha", "--start", "2026-12-01 08:00", "--duration", "90m"});
  ASSERT_EQ(scheduled.exit, 0) << scheduled.err;
  auto meeting = json::parse(scheduled.out);
  auto id = meeting["id"].get<std::string>();
  EXPECT_EQ(meeting["start"], "2026-12-01T01:00:00Z");

  auto table = ctl({"meeting", "list"});
  EXPECT_NE(table.out.find("2026-12-01 08:00"), std::string::npos) << "local time for people: " << table.out;

  auto links = ctl({"meeting", "links", id});
  EXPECT_EQ(links.exit, 0);
  EXPECT_NE(links.out.find("/join#token="), std::string::npos) << links.out;

  auto ics = ctl({"meeting", "ics", id, "--out", (dir_ / "ics").string()});
  ASSERT_EQ(ics.exit, 0) << ics.err;
  auto invitation = diemcau::tools::test::slurpFile(dir_ / "ics" / (id + "-lang-can.ics"));
  EXPECT_NE(invitation.find("DTSTART:20261201T010000Z\r\n"), std::string::npos) << invitation;
  EXPECT_NE(invitation.find("LOCATION:Xã Lăng Can\r\n"), std::string::npos);

  // A series is written in its zone so each Tuesday stays 08:00 on the wall; UNTIL stays UTC (RFC 5545
  // section 3.3.10 requires it beside a TZID start).
  auto series = ctl({"--json", "meeting", "schedule", "--title", "Giao ban", "--host", "huyen", "--sites",
                     "lang-can", "--start", "2026-12-01 14:00", "--duration", "1h", "--repeat", "weekly",
                     "--days", "tue", "--until", "2027-03-01 00:00"});
  ASSERT_EQ(series.exit, 0) << series.err;
  auto seriesId = json::parse(series.out)["id"].get<std::string>();
  ASSERT_EQ(ctl({"meeting", "ics", seriesId, "--out", (dir_ / "ics").string()}).exit, 0);
  auto weekly = diemcau::tools::test::slurpFile(dir_ / "ics" / (seriesId + "-lang-can.ics"));
  EXPECT_NE(weekly.find("DTSTART;TZID=Asia/Ho_Chi_Minh:20261201T140000\r\n"), std::string::npos) << weekly;
  EXPECT_NE(weekly.find("DTEND;TZID=Asia/Ho_Chi_Minh:20261201T150000\r\n"), std::string::npos) << weekly;
  EXPECT_NE(weekly.find("BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\n"), std::string::npos) << weekly;
  EXPECT_NE(weekly.find("TZOFFSETTO:+0700\r\n"), std::string::npos) << weekly;
  EXPECT_NE(weekly.find("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270228T170000Z\r\n"), std::string::npos)
      << weekly;

  auto overlap = ctl({"meeting", "schedule", "--title", "Khác", "--host", "huyen", "--start",
                      "2026-12-01 09:00", "--duration", "1h"});
  EXPECT_EQ(overlap.exit, 1);
  EXPECT_NE(overlap.err.find("field: start"), std::string::npos) << overlap.err;
  EXPECT_EQ(ctl({"meeting", "schedule", "--title", "Khác", "--host", "huyen", "--start", "2026-12-01 09:00",
                 "--duration", "1h", "--allow-overlap"})
                .exit,
            0);

  auto base = std::vector<std::string>{"meeting", "schedule", "--title", "T", "--start", "2026-12-02 08:00"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return ctl(args);
  };
  auto endFirst = with({"--host", "huyen", "--end", "2026-12-02 07:00"});
  EXPECT_EQ(endFirst.exit, 1);
  EXPECT_NE(endFirst.err.find("field: end"), std::string::npos) << endFirst.err;
  auto ghost = with({"--host", "huyen", "--sites", "ghost", "--duration", "1h"});
  EXPECT_EQ(ghost.exit, 1);
  EXPECT_NE(ghost.err.find("field: sites"), std::string::npos) << ghost.err;
  auto commune = with({"--host", "lang-can", "--duration", "1h"});
  EXPECT_EQ(commune.exit, 1);
  EXPECT_NE(commune.err.find("field: host"), std::string::npos) << commune.err;
  EXPECT_EQ(ctl({"meeting", "schedule", "--title", std::string(10240, 'x'), "--host", "huyen", "--start",
                 "2026-12-03 08:00", "--duration", "1h"})
                .exit,
            1);
  EXPECT_EQ(ctl({"meeting", "schedule", "--title", "bad \xff utf8", "--host", "huyen", "--start",
                 "2026-12-03 08:00", "--duration", "1h"})
                .exit,
            2);
  EXPECT_EQ(with({"--host", "huyen", "--duration", "forever"}).exit, 2);
  EXPECT_EQ(ctl({"meeting", "schedule", "--title", "T", "--host", "huyen", "--start", "someday", "--duration",
                 "1h"})
                .exit,
            2);

  auto all = ctl({"--json", "meeting", "list"});
  EXPECT_EQ(json::parse(all.out).size(), 3u) << "refused meetings stored nothing";
  EXPECT_EQ(ctl({"meeting", "cancel", id}).exit, 0);
  EXPECT_EQ(ctl({"meeting", "cancel", id}).exit, 1);
}

TEST_F(DiemcauctlTest, KillDashNineDuringALiveMeetingKeepsStateAndTokens) {
  startServer(/*demo=*/true);
  EXPECT_NE(server_->output().find("Xã Lăng Can"), std::string::npos) << server_->output();
  auto status = ctl({"--json", "status"});
  ASSERT_EQ(status.exit, 0) << status.err;
  auto live = json::parse(status.out)["meetings"];
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0]["state"], "live");
  EXPECT_EQ(live[0]["siteDetails"].size(), 9u);
  auto issued = ctl({"--json", "token", "issue", "--meeting", "demo", "--site", "lang-can"});
  ASSERT_EQ(issued.exit, 0) << issued.err;
  auto token = json::parse(issued.out)["token"].get<std::string>();

  server_->kill(SIGKILL);
  startServer(/*demo=*/true);
  EXPECT_EQ(server_->output().find("admin key"), std::string::npos) << "the key is printed only once";
  status = ctl({"--json", "status"});
  ASSERT_EQ(status.exit, 0) << status.err;
  live = json::parse(status.out)["meetings"];
  ASSERT_EQ(live.size(), 1u) << "the demo is not seeded twice";
  EXPECT_EQ(live[0]["state"], "live");
  auto sites = ctl({"--json", "site", "list"});
  EXPECT_EQ(json::parse(sites.out).size(), 9u);

  // The same token still verifies with the key the restarted server loaded.
  diemcau::signaling::tokens::TokenService verifier(
      diemcau::signaling::tokens::SigningKeys::loadOrCreate(dir_ / "data" / "token.keys"), nullptr);
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  EXPECT_TRUE(verifier.verifyJoinToken(token, now).ok());
}

}  // namespace
