#include "media/ice/IceRandom.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <random>
#include <string_view>

namespace diemcau::media {

void randomBytes(uint8_t* out, size_t count) {
  size_t filled = 0;
  while (filled < count) {
    const ssize_t got = ::getrandom(out + filled, count - filled, 0);
    if (got <= 0) break;
    filled += static_cast<size_t>(got);
  }
  if (filled < count) {
    std::random_device device;  // the kernel's pool as well, through another door
    for (; filled < count; ++filled) out[filled] = static_cast<uint8_t>(device());
  }
}

uint64_t randomWord() {
  uint64_t value = 0;
  randomBytes(reinterpret_cast<uint8_t*>(&value), sizeof value);
  return value;
}

std::string randomIceChars(size_t count) {
  static constexpr std::string_view kIceChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::array<uint8_t, 64> bytes{};
  count = std::min(count, bytes.size());
  randomBytes(bytes.data(), count);
  std::string out(count, 'A');
  for (size_t i = 0; i < count; ++i) out[i] = kIceChars[bytes[i] & 63];
  return out;
}

}  // namespace diemcau::media
