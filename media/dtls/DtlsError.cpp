#include "media/dtls/DtlsError.hpp"

#include <openssl/err.h>

#include <array>

namespace diemcau::media {

std::string takeOpenSslErrors() {
  std::string result;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    if (!result.empty()) result += "; ";
    result += buffer.data();
  }
  return result;
}

void throwDtlsError(const std::string& what) {
  const std::string details = takeOpenSslErrors();
  throw DtlsError(details.empty() ? what : what + ": " + details);
}

}  // namespace diemcau::media
