#include "config/ServerConfig.hpp"

namespace diemcau::config {

std::string ListenAddress::toString() const {
  const std::string hostPart = isIpv6() ? "[" + host + "]" : host;
  return hostPart + ":" + std::to_string(port);
}

}  // namespace diemcau::config
