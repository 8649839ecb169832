#include "media/rtp/RtpDemux.hpp"

namespace diemcau::media::rtp {

namespace {
bool isVersion2(const uint8_t* data, size_t len) {
  return data != nullptr && len >= 2 && data[0] >= 128 && data[0] <= 191;
}
}  // namespace

bool isRtcp(const uint8_t* data, size_t len) {
  return isVersion2(data, len) && data[1] >= 192 && data[1] <= 223;
}

bool isRtp(const uint8_t* data, size_t len) {
  return isVersion2(data, len) && !(data[1] >= 192 && data[1] <= 223);
}

}  // namespace diemcau::media::rtp
