#include "signaling/tokens/SecretFile.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace diemcau::signaling::tokens {

namespace {

constexpr std::size_t kMaxSecretFile = 64 * 1024;

std::string errnoText(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::optional<std::string> readSecretFile(const std::filesystem::path& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw SecretFileError(errnoText("cannot open", path));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) throw SecretFileError(errnoText("cannot stat", path));
  if ((st.st_mode & 077) != 0) {
    throw SecretFileError(path.string() + " may be read by other users; run: chmod 600 " + path.string());
  }
  if (st.st_size < 0 || static_cast<std::size_t>(st.st_size) > kMaxSecretFile) {
    throw SecretFileError(path.string() + " is too large to be a key file");
  }
  std::string content(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < content.size()) {
    ssize_t n = ::read(file.fd, content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw SecretFileError(errnoText("cannot read", path));
    got += static_cast<std::size_t>(n);
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  return content;
}

void writeSecretFile(const std::filesystem::path& path, const std::string& content) {
  auto tmp = path;
  tmp += ".tmp";
  ::unlink(tmp.c_str());
  {
    Fd file{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
    if (file.fd < 0) throw SecretFileError(errnoText("cannot create", tmp));
    std::string data = content + "\n";
    std::size_t put = 0;
    while (put < data.size()) {
      ssize_t n = ::write(file.fd, data.data() + put, data.size() - put);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw SecretFileError(errnoText("cannot write", tmp));
      put += static_cast<std::size_t>(n);
    }
    if (::fsync(file.fd) != 0) throw SecretFileError(errnoText("cannot sync", tmp));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw SecretFileError(errnoText("cannot rename to", path));
}

std::string randomHex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) throw SecretFileError("RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (auto b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace diemcau::signaling::tokens
