#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace diemcau::media {

/// `count` bytes from the kernel's pool (getrandom), std::random_device for whatever it refused.
void randomBytes(uint8_t* out, size_t count);

/// A random 64-bit word (ICE tie-breakers, timer jitter seeds).
uint64_t randomWord();

/// `count` (at most 64) random ice-chars (RFC 8445 §5.3: ALPHA / DIGIT / "+" / "/", 6 random bits
/// each), for ufrags and passwords.
std::string randomIceChars(size_t count);

}  // namespace diemcau::media
