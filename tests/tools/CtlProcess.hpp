#pragma once
// Runs the built admin_test_server and diemcauctl as real processes, for the archive CLI tests.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace diemcau::tools::test {

struct CtlResult {
  int exit = -1;
  std::string out;
  std::string err;
};

inline std::string slurpFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// admin_test_server DATA_DIR [--demo] on 127.0.0.1 with a free port; stopped with SIGTERM when destroyed.
class TestServer {
 public:
  explicit TestServer(const std::filesystem::path& dataDir, bool demo = false) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      ::execl(ADMIN_TEST_SERVER_BIN, ADMIN_TEST_SERVER_BIN, dataDir.c_str(), demo ? "--demo" : nullptr, nullptr);
      ::_exit(127);
    }
    ::close(fds[1]);
    FILE* out = ::fdopen(fds[0], "r");
    char line[512];
    while (std::fgets(line, sizeof line, out)) {
      output_ += line;
      if (std::sscanf(line, "port %d", &port_) == 1) break;
    }
    reader_ = std::thread([out] {  // keeps draining so the server never blocks on a full pipe
      char buf[512];
      while (std::fgets(buf, sizeof buf, out)) {
      }
      std::fclose(out);
    });
    if (port_ == 0) throw std::runtime_error("admin_test_server did not start: " + output_);
  }
  ~TestServer() {
    kill(SIGTERM);
    if (reader_.joinable()) reader_.join();
  }
  /// Stops the server with `sig` (e.g. SIGKILL for a crash) and waits for it.
  void kill(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// What the server printed up to its port line.
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string output_;
  std::thread reader_;
};

/// Runs diemcauctl with `args`; stdout and stderr go through files in `scratch`.
inline CtlResult runCtl(const std::vector<std::string>& args, const std::filesystem::path& scratch) {
  std::vector<std::string> argv{DIEMCAUCTL_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto outPath = scratch / "ctl-out.txt", errPath = scratch / "ctl-err.txt";
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!std::freopen(outPath.c_str(), "w", stdout) || !std::freopen(errPath.c_str(), "w", stderr)) ::_exit(126);
    ::unsetenv("DIEMCAU_ADMIN_KEY");
    ::setenv("HOME", scratch.c_str(), 1);
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(DIEMCAUCTL_BIN, raw.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return CtlResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurpFile(outPath), slurpFile(errPath)};
}

}  // namespace diemcau::tools::test
