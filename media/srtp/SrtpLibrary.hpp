#pragma once

namespace diemcau::media {

/**
 * Owns libsrtp2's process-wide initialisation (srtp_init / srtp_shutdown).
 * main() and each test main create exactly one, before any SrtpSession exists and destroyed after the last
 * one; there is no hidden static initialisation. Throws SrtpError if libsrtp cannot start.
 */
class SrtpLibrary {
 public:
  SrtpLibrary();
  ~SrtpLibrary();

  SrtpLibrary(const SrtpLibrary&) = delete;
  SrtpLibrary& operator=(const SrtpLibrary&) = delete;
};

}  // namespace diemcau::media
