#include "signaling/archive/Sha256Sums.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <set>
#include <stdexcept>

namespace diemcau::signaling::archive {

namespace fs = std::filesystem;

namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

std::vector<std::string> hashedNames(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name == kSumsFile || name.ends_with(".tmp")) continue;
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool isHex64(const std::string& text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::optional<std::string> sha256OfFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return std::nullopt;
  std::array<char, 64 * 1024> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    const auto n = in.gcount();
    if (n > 0 && EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(n)) != 1) return std::nullopt;
  }
  if (in.bad()) return std::nullopt;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &size) != 1) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

void writeSha256Sums(const fs::path& folder) {
  std::string text;
  for (const std::string& name : hashedNames(folder)) {
    const auto hash = sha256OfFile(folder / name);
    if (!hash) throw std::runtime_error("cannot read " + (folder / name).string());
    text += *hash + "  " + name + "\n";
  }
  const fs::path temporary = folder / (std::string(kSumsFile) + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::permissions(temporary, fs::perms::owner_read | fs::perms::owner_write);
  fs::rename(temporary, folder / kSumsFile);
}

VerifyResult verifySha256Sums(const fs::path& folder) {
  VerifyResult result;
  std::ifstream in(folder / kSumsFile);
  if (!in) return result;
  result.sumsPresent = true;
  std::set<std::string> listed;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    // "<hash>  <name>" (two spaces: text mode) or "<hash> *<name>" (binary mode).
    const std::string hash = line.substr(0, 64);
    std::string name = line.size() > 66 ? line.substr(66) : std::string();
    const bool wellFormed = isHex64(hash) && line.size() > 66 && line[64] == ' ' && (line[65] == ' ' || line[65] == '*') &&
                            name.find('/') == std::string::npos && name != "." && name != "..";
    if (!wellFormed) {
      result.changed.push_back(line.substr(0, 120));
      continue;
    }
    listed.insert(name);
    ++result.checked;
    const fs::path file = folder / name;
    std::error_code error;
    if (!fs::is_regular_file(file, error)) {
      result.missing.push_back(name);
      continue;
    }
    const auto actual = sha256OfFile(file);
    if (!actual || *actual != hash) result.changed.push_back(name);
  }
  for (const std::string& name : hashedNames(folder)) {
    if (!listed.contains(name)) result.unlisted.push_back(name);
  }
  return result;
}

}  // namespace diemcau::signaling::archive
