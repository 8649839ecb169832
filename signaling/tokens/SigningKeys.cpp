#include "signaling/tokens/SigningKeys.hpp"

#include <spdlog/spdlog.h>

#include <sstream>

#include "signaling/tokens/SecretFile.hpp"

namespace diemcau::signaling::tokens {

namespace {

constexpr std::size_t kKeyBytes = 32;  // RFC 7518 section 3.2: key at least as long as the hash output

SigningKey freshKey() {
  std::string hex = randomHex(kKeyBytes);
  std::string raw;
  for (std::size_t i = 0; i < hex.size(); i += 2)
    raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return SigningKey{randomHex(4), raw};
}

std::string toHex(const std::string& raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::optional<SigningKey> parseLine(const std::string& line) {
  std::istringstream in(line);
  std::string id, hex;
  if (!(in >> id >> hex) || id.empty() || id.size() > 32 || hex.size() != kKeyBytes * 2) return std::nullopt;
  std::string raw;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto pair = hex.substr(i, 2);
    if (pair.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
    raw += static_cast<char>(std::stoi(pair, nullptr, 16));
  }
  return SigningKey{id, raw};
}

}  // namespace

SigningKeys SigningKeys::generate() {
  SigningKeys keys;
  keys.current_ = freshKey();
  return keys;
}

SigningKeys SigningKeys::loadOrCreate(const std::filesystem::path& path) {
  SigningKeys keys;
  keys.path_ = path;
  auto content = readSecretFile(path);
  if (!content) {
    keys.current_ = freshKey();
    keys.save();
    spdlog::info("tokens: created signing key {} in {}", keys.current_.id, path.string());
    return keys;
  }
  std::istringstream in(*content);
  std::string line;
  int index = 0;
  while (std::getline(in, line) && index < 2) {
    if (line.empty()) continue;
    auto key = parseLine(line);
    if (!key) throw SecretFileError(path.string() + ": line " + std::to_string(index + 1) + " is not a key");
    if (index == 0) {
      keys.current_ = *key;
    } else {
      keys.previous_ = *key;
    }
    ++index;
  }
  if (index == 0) throw SecretFileError(path.string() + " holds no key");
  return keys;
}

void SigningKeys::rotate() {
  previous_ = current_;
  current_ = freshKey();
  if (!path_.empty()) save();
  spdlog::info("tokens: rotated signing key, now {} (previous {} still verifies)", current_.id,
               previous_->id);
}

const SigningKey* SigningKeys::find(const std::string& id) const {
  if (id == current_.id) return &current_;
  if (previous_ && id == previous_->id) return &*previous_;
  return nullptr;
}

void SigningKeys::save() const {
  std::string content = current_.id + " " + toHex(current_.secret);
  if (previous_) content += "\n" + previous_->id + " " + toHex(previous_->secret);
  writeSecretFile(path_, content);
}

}  // namespace diemcau::signaling::tokens
