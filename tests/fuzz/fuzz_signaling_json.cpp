// Arbitrary bytes through the /ws dispatcher: parsing, envelope checks, reply building.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "signaling/protocol/Dispatcher.hpp"

namespace {

class NullConnection final : public diemcau::signaling::protocol::Connection {
 public:
  uint64_t id() const override { return 1; }
  void send(const nlohmann::json& message) override { (void)message.dump(); }
  void close(std::string_view) override {}
  std::string remoteAddress() const override { return "fuzz"; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static diemcau::signaling::protocol::Dispatcher dispatcher;
  NullConnection connection;
  const nlohmann::json reply =
      dispatcher.dispatch(connection, std::string_view(reinterpret_cast<const char*>(data), size));
  // Every message gets exactly one reply object; it must always serialise.
  if (!reply.is_object() || reply.value("type", "") != "reply") __builtin_trap();
  (void)reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
