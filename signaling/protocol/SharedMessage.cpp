#include "signaling/protocol/SharedMessage.hpp"

namespace diemcau::signaling::protocol {

std::string serialize(const nlohmann::json& message) {
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace diemcau::signaling::protocol
