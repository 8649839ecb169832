#pragma once

#include <stdexcept>
#include <string>

namespace diemcau::media {

/** Control-plane failure while setting up SRTP (bad key length, libsrtp refused the policy, init failed). */
class SrtpError : public std::runtime_error {
 public:
  SrtpError(const std::string& what, int status) : std::runtime_error(what), status_(status) {}

  /** The libsrtp `srtp_err_status_t` value, 0 when the error did not come from libsrtp. */
  int status() const noexcept { return status_; }

 private:
  int status_;
};

}  // namespace diemcau::media
