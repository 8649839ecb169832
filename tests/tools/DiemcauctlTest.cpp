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

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Result {
  int exit = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A real admin_test_server on 127.0.0.1 with a free port.
class ServerProcess {
 public:
  ServerProcess(const fs::path& dataDir, bool demo) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      if (demo) {
        ::execl(ADMIN_TEST_SERVER_BIN, ADMIN_TEST_SERVER_BIN, dataDir.c_str(), "--demo", nullptr);
      } else {
        ::execl(ADMIN_TEST_SERVER_BIN, ADMIN_TEST_SERVER_BIN, dataDir.c_str(), nullptr);
      }
      ::_exit(127);
    }
    ::close(fds[1]);
    FILE* out = ::fdopen(fds[0], "r");
    char line[512];
    while (std::fgets(line, sizeof line, out)) {
      output_ += line;
      if (std::sscanf(line, "port %d", &port_) == 1) break;
    }
    // Keep draining so the server never blocks on a full pipe.
    reader_ = std::thread([out] {
      char buf[512];
      while (std::fgets(buf, sizeof buf, out)) {
      }
      std::fclose(out);
    });
    if (port_ == 0) throw std::runtime_error("server did not start: " + output_);
  }
  ~ServerProcess() {
    kill(SIGTERM);
    if (reader_.joinable()) reader_.join();
  }
  void kill(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string output_;
  std::thread reader_;
};

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
    auto outPath = dir_ / "out.txt", errPath = dir_ / "err.txt";
    pid_t pid = ::fork();
    if (pid == 0) {
      std::freopen(outPath.c_str(), "w", stdout);
      std::freopen(errPath.c_str(), "w", stderr);
      ::unsetenv("DIEMCAU_ADMIN_KEY");
      ::setenv("HOME", dir_.c_str(), 1);
      std::vector<char*> raw;
      for (auto& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      ::execv(DIEMCAUCTL_BIN, raw.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return Result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(outPath), slurp(errPath)};
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
  auto invitation = slurp(dir_ / "ics" / (id + "-lang-can.ics"));
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
  auto weekly = slurp(dir_ / "ics" / (seriesId + "-lang-can.ics"));
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
