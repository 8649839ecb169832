#include "signaling/protocol/Messages.hpp"

namespace diemcau::signaling::protocol {

namespace {

void merge(nlohmann::json& message, const nlohmann::json& fields) {
  if (!fields.is_object()) return;
  for (const auto& [key, value] : fields.items()) {
    // The envelope keys belong to the protocol; a service cannot overwrite them.
    if (!message.contains(key)) message[key] = value;
  }
}

}  // namespace

nlohmann::json makeReply(const nlohmann::json& id, const nlohmann::json& fields) {
  nlohmann::json reply = {{"type", "reply"}, {"id", id}, {"ok", true}};
  merge(reply, fields);
  return reply;
}

nlohmann::json makeError(const nlohmann::json& id, ErrorCode code, std::string_view message,
                         std::string_view reason) {
  nlohmann::json reply = {{"type", "reply"}, {"id", id}, {"ok", false}};
  reply["error"] = {{"code", toString(code)}, {"message", message}};
  if (!reason.empty()) reply["error"]["reason"] = reason;
  return reply;
}

nlohmann::json makeEvent(std::string_view type, const nlohmann::json& fields) {
  nlohmann::json event = {{"type", type}};
  merge(event, fields);
  return event;
}

}  // namespace diemcau::signaling::protocol
