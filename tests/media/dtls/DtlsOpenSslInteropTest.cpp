// Handshake against an independent DTLS implementation: the `openssl s_server` command, over UDP on
// 127.0.0.1. Its exported keying material must split into exactly the keys our RFC 5764 §4.2 code produced.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "media/dtls/DtlsCertificate.hpp"
#include "tests/media/dtls/DtlsTestPeer.hpp"

namespace diemcau::media {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class UdpSocket {
 public:
  UdpSocket() : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in local = loopback(0);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) fd_ = -1;
  }
  ~UdpSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  static sockaddr_in loopback(uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
  }
  bool valid() const { return fd_ >= 0; }
  uint16_t port() const {
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
  }
  void sendTo(uint16_t port, const std::vector<uint8_t>& datagram) const {
    sockaddr_in to = loopback(port);
    ::sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  }
  std::optional<std::vector<uint8_t>> receive(std::chrono::milliseconds wait) const {
    pollfd descriptor{fd_, POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(wait.count())) <= 0) return std::nullopt;
    std::vector<uint8_t> buffer(65536);
    const ssize_t length = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (length <= 0) return std::nullopt;
    buffer.resize(static_cast<std::size_t>(length));
    return buffer;
  }

 private:
  int fd_;
};

std::string readAll(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::string> waitForLine(const fs::path& path, std::string_view marker, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    const std::string text = readAll(path);
    const auto at = text.find(marker);
    if (at != std::string::npos) {
      const auto lineEnd = text.find('\n', at);
      if (lineEnd != std::string::npos) return text.substr(at + marker.size(), lineEnd - at - marker.size());
    }
    std::this_thread::sleep_for(20ms);
  }
  return std::nullopt;
}

std::vector<uint8_t> fromHex(std::string_view hex) {
  std::vector<uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

// Ends the process group the test started (and reaps its leader) however the test exits.
struct ChildGroup {
  pid_t leader = -1;
  ~ChildGroup() {
    if (leader <= 0) return;
    ::kill(-leader, SIGTERM);
    int status = 0;
    ::waitpid(leader, &status, 0);
  }
};

class DtlsOpenSslInteropTest : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(DtlsOpenSslInteropTest, ClientKeysMatchOpenSslServerExport) {
  if (!fs::exists("/usr/bin/openssl")) GTEST_SKIP() << "openssl command not installed";
  const SrtpProfile profile = GetParam();
  const auto serverCert = DtlsCertificate::generate();
  const auto clientCert = DtlsCertificate::generate();
  const fs::path dir = fs::temp_directory_path() / ("diemcau-interop-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "cert.pem") << serverCert->certificatePem();
  std::ofstream(dir / "key.pem") << serverCert->privateKeyPem();

  uint16_t serverPort = 0;
  {
    UdpSocket probe;  // a free port for the server, released just before it starts
    ASSERT_TRUE(probe.valid());
    serverPort = probe.port();
  }
  const std::size_t exportLength = 2 * srtpMasterKeySaltLength(profile);
  std::ostringstream command;
  command << "sleep 10 | timeout 15 openssl s_server -dtls1_2 -accept 127.0.0.1:" << serverPort << " -cert "
          << (dir / "cert.pem") << " -key " << (dir / "key.pem") << " -use_srtp " << srtpProfileName(profile)
          << " -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen " << exportLength
          << " -verify 1 -naccept 1 > " << (dir / "server.log") << " 2>&1";
  const pid_t shell = ::fork();
  ASSERT_GE(shell, 0);
  if (shell == 0) {
    // Own process group, so the test can end exactly the processes it started (sh, sleep, openssl).
    ::setpgid(0, 0);
    ::execl("/bin/sh", "sh", "-c", command.str().c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ChildGroup server{shell};
  ASSERT_TRUE(waitForLine(dir / "server.log", "ACCEPT", 5s).has_value()) << readAll(dir / "server.log");

  DtlsContext context(clientCert);
  test::DtlsTestPeer client(context);
  UdpSocket socket;
  ASSERT_TRUE(socket.valid());
  client.transport.start(DtlsRole::Client, "sha-256", serverCert->fingerprint());
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (client.transport.state() == DtlsState::Connecting && std::chrono::steady_clock::now() < deadline) {
    while (!client.outbox.empty()) {
      socket.sendTo(serverPort, client.outbox.front());
      client.outbox.pop_front();
    }
    const auto wait = std::min(client.transport.timeout().value_or(100ms), std::chrono::milliseconds(100ms));
    if (auto datagram = socket.receive(wait)) {
      client.transport.receive(*datagram);
    } else {
      client.transport.handleTimeout();
    }
  }
  ASSERT_EQ(client.transport.state(), DtlsState::Connected) << client.failure.value_or("") << readAll(dir / "server.log");
  while (!client.outbox.empty()) {
    socket.sendTo(serverPort, client.outbox.front());
    client.outbox.pop_front();
  }

  const auto exported = waitForLine(dir / "server.log", "Keying material: ", 5s);
  client.transport.close();
  while (!client.outbox.empty()) {
    socket.sendTo(serverPort, client.outbox.front());
    client.outbox.pop_front();
  }
  ASSERT_TRUE(exported.has_value()) << readAll(dir / "server.log");

  const std::vector<uint8_t> material = fromHex(*exported);
  ASSERT_EQ(material.size(), exportLength);
  const std::size_t key = srtpMasterKeyLength(profile);
  const std::size_t salt = srtpMasterSaltLength(profile);
  // client key | server key | client salt | server salt (RFC 5764 §4.2); we are the client.
  std::vector<uint8_t> clientKeySalt(material.begin(), material.begin() + static_cast<std::ptrdiff_t>(key));
  clientKeySalt.insert(clientKeySalt.end(), material.begin() + static_cast<std::ptrdiff_t>(2 * key),
                       material.begin() + static_cast<std::ptrdiff_t>(2 * key + salt));
  std::vector<uint8_t> serverKeySalt(material.begin() + static_cast<std::ptrdiff_t>(key),
                                     material.begin() + static_cast<std::ptrdiff_t>(2 * key));
  serverKeySalt.insert(serverKeySalt.end(), material.begin() + static_cast<std::ptrdiff_t>(2 * key + salt),
                       material.end());
  ASSERT_TRUE(client.keys.has_value());
  EXPECT_EQ(client.keys->profile, profile);
  EXPECT_EQ(client.keys->localKeySalt, clientKeySalt);
  EXPECT_EQ(client.keys->remoteKeySalt, serverKeySalt);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Profiles, DtlsOpenSslInteropTest,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80));

}  // namespace
}  // namespace diemcau::media
