#pragma once

#include <stdexcept>
#include <string>

namespace diemcau::media {

/** Control-plane failure in media/dtls: certificate generation or loading, context set-up. */
class DtlsError : public std::runtime_error {
 public:
  explicit DtlsError(const std::string& what) : std::runtime_error(what) {}
};

/** Drains this thread's OpenSSL error queue into one readable line (empty if there was nothing queued). */
std::string takeOpenSslErrors();

/** Throws DtlsError with `what` and the drained OpenSSL error queue. */
[[noreturn]] void throwDtlsError(const std::string& what);

}  // namespace diemcau::media
