#include "media/srtp/SrtpLibrary.hpp"

#include <srtp2/srtp.h>

#include <string>

#include "media/srtp/SrtpError.hpp"

namespace diemcau::media {

SrtpLibrary::SrtpLibrary() {
  const srtp_err_status_t status = srtp_init();
  if (status != srtp_err_status_ok) {
    throw SrtpError("srtp_init failed with status " + std::to_string(status), status);
  }
}

SrtpLibrary::~SrtpLibrary() { srtp_shutdown(); }

}  // namespace diemcau::media
