// diemcauctl over https:// against the real diemcau serving TLS on loopback:
//   - --tls-self-signed (the production default): refused without --ca (not trusted), accepted with
//     --ca <data-dir>/tls-cert.pem and with the explicit --insecure; an archive export streams over it;
//   - a certificate naming only "localhost": https://localhost passes the host name check,
//     https://127.0.0.1 fails it even with the certificate trusted.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/tools/CtlProcess.hpp"

namespace diemcau::tools::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

/// A free TCP port on 127.0.0.1 (bound by the kernel, then released for the server to take).
int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

/// The real diemcau on 127.0.0.1:<port>; stopped with SIGTERM when destroyed.
class Diemcau {
 public:
  Diemcau(const fs::path& dataDir, std::vector<std::string> tlsArgs) : port_(freePort()) {
    std::vector<std::string> args{DIEMCAU_BIN, "--listen", "127.0.0.1:" + std::to_string(port_), "--data-dir",
                                  dataDir.string(), "--media-addresses", "127.0.0.1", "--log-level", "warn"};
    args.insert(args.end(), tlsArgs.begin(), tlsArgs.end());
    const fs::path log = dataDir.parent_path() / ("server-" + std::to_string(port_) + ".log");
    pid_ = ::fork();
    if (pid_ == 0) {
      if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr)) ::_exit(126);
      std::vector<char*> raw;
      for (auto& a : args) raw.push_back(a.data());
      raw.push_back(nullptr);
      ::execv(DIEMCAU_BIN, raw.data());
      ::_exit(127);
    }
  }
  ~Diemcau() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  int port() const { return port_; }
  bool alive() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  int port_ = 0;
  pid_t pid_ = -1;
};

class DiemcauctlTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("openssl version >/dev/null 2>&1") != 0) GTEST_SKIP() << "the openssl command is missing";
    fs::remove_all(dir_);
    fs::create_directories(data_);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  /// Starts the server and waits (at most 20 s) until it answers over TLS.
  void start(std::vector<std::string> tlsArgs) {
    server_ = std::make_unique<Diemcau>(data_, std::move(tlsArgs));
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      ASSERT_TRUE(server_->alive()) << "diemcau exited during start-up";
      if (fs::exists(data_ / "admin.key") && ctl("127.0.0.1", {"--insecure"}).exit == 0) return;
      std::this_thread::sleep_for(200ms);
    }
    FAIL() << "diemcau did not answer over https within 20 s";
  }
  /// diemcauctl [flags] --url https://<host>:<port> --data-dir <data> [command] (default: status).
  CtlResult ctl(const std::string& host, std::vector<std::string> flags, std::vector<std::string> command = {"status"}) {
    flags.insert(flags.end(), {"--url", "https://" + host + ":" + std::to_string(server_->port()), "--data-dir",
                               data_.string()});
    flags.insert(flags.end(), command.begin(), command.end());
    return runCtl(flags, dir_);
  }

  fs::path dir_ = fs::temp_directory_path() / ("diemcau-ctl-tls-" + std::to_string(::getpid()));
  fs::path data_ = dir_ / "data";
  std::unique_ptr<Diemcau> server_;
};

TEST_F(DiemcauctlTlsTest, SelfSignedServerNeedsItsCertificateOrAnExplicitOptOut) {
  // An archive to export: a log and a recording of 2 MiB of known bytes (recovered, i.e. closed, at start).
  const fs::path folder = data_ / "archive" / "giao-ban";
  fs::create_directories(folder);
  std::ofstream(folder / "events.jsonl") << R"({"at":"2026-12-01T01:00:00.000Z","type":"room.created"}
{"at":"2026-12-01T01:00:01.000Z","type":"recording.started","participant":"huyen","file":"huyen.mkv"}
)";
  std::string video(2 << 20, '\0');
  for (size_t i = 0; i < video.size(); ++i) video[i] = static_cast<char>(i * 13 + (i >> 11));
  std::ofstream(folder / "huyen.mkv", std::ios::binary) << video;

  ASSERT_NO_FATAL_FAILURE(start({"--tls-self-signed"}));
  const fs::path certificate = data_ / "tls-cert.pem";
  ASSERT_TRUE(fs::exists(certificate));

  const CtlResult untrusted = ctl("127.0.0.1", {});
  EXPECT_EQ(untrusted.exit, 1);
  EXPECT_NE(untrusted.err.find("is not trusted"), std::string::npos) << untrusted.err;
  EXPECT_NE(untrusted.err.find("--ca"), std::string::npos) << "the message says what to do: " << untrusted.err;

  const CtlResult trusted = ctl("127.0.0.1", {"--ca", certificate.string(), "--json"});
  ASSERT_EQ(trusted.exit, 0) << trusted.err;
  EXPECT_TRUE(json::parse(trusted.out).is_object()) << trusted.out;
  EXPECT_EQ(ctl("localhost", {"--ca", certificate.string()}).exit, 0) << "the certificate names localhost too";
  EXPECT_EQ(ctl("127.0.0.1", {"--insecure"}).exit, 0);

  const CtlResult both = ctl("127.0.0.1", {"--ca", certificate.string(), "--insecure"});
  EXPECT_EQ(both.exit, 2) << both.err;
  const CtlResult missingCa = ctl("127.0.0.1", {"--ca", (dir_ / "nope.pem").string()});
  EXPECT_EQ(missingCa.exit, 1);
  EXPECT_NE(missingCa.err.find("cannot use --ca"), std::string::npos) << missingCa.err;
  // Plain HTTP to the TLS port gets no answer it can read.
  EXPECT_EQ(runCtl({"--url", "http://127.0.0.1:" + std::to_string(server_->port()), "--data-dir", data_.string(),
                    "status"},
                   dir_)
                .exit,
            1);

  // The export streams over TLS (read ahead on the server's archive thread) and unpacks to the same bytes.
  const fs::path tar = dir_ / "giao-ban.tar";
  const CtlResult exported =
      ctl("127.0.0.1", {"--ca", certificate.string()}, {"archive", "export", "giao-ban", "-o", tar.string()});
  ASSERT_EQ(exported.exit, 0) << exported.err;
  const fs::path unpacked = dir_ / "unpacked";
  fs::create_directories(unpacked);
  ASSERT_EQ(std::system(("tar -xf '" + tar.string() + "' -C '" + unpacked.string() + "'").c_str()), 0);
  EXPECT_EQ(slurpFile(unpacked / "giao-ban" / "huyen.mkv"), video);
  EXPECT_EQ(std::system(("cd '" + (unpacked / "giao-ban").string() + "' && sha256sum -c --quiet SHA256SUMS").c_str()), 0);
}

TEST_F(DiemcauctlTlsTest, TheHostNameIsChecked) {
  // A certificate for the DNS name localhost only (no IP address entry).
  const fs::path key = dir_ / "key.pem", certificate = dir_ / "cert.pem";
  const std::string make = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
                           "-subj /CN=localhost -addext subjectAltName=DNS:localhost -keyout '" +
                           key.string() + "' -out '" + certificate.string() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(make.c_str()), 0);
  ASSERT_NO_FATAL_FAILURE(start({"--tls-cert", certificate.string(), "--tls-key", key.string()}));

  EXPECT_EQ(ctl("localhost", {"--ca", certificate.string()}).exit, 0);
  const CtlResult mismatch = ctl("127.0.0.1", {"--ca", certificate.string()});
  EXPECT_EQ(mismatch.exit, 1);
  EXPECT_NE(mismatch.err.find("mismatch"), std::string::npos) << mismatch.err;
  EXPECT_NE(mismatch.err.find("does not name '127.0.0.1'"), std::string::npos) << mismatch.err;
  EXPECT_EQ(ctl("127.0.0.1", {"--insecure"}).exit, 0) << "--insecure skips the name check too";
}

}  // namespace
}  // namespace diemcau::tools::test
