#include "signaling/protocol/Dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "signaling/protocol/Messages.hpp"
#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::protocol {

namespace {

// The built-in keep-alive request.
class PingService final : public Service {
 public:
  std::vector<std::string> types() const override { return {"ping"}; }
  std::optional<nlohmann::json> handle(Connection&, const Request&) override {
    return nlohmann::json{{"pong", true}};
  }
};

struct TooDeep {};

nlohmann::json parseBounded(std::string_view text) {
  const auto limitDepth = [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > static_cast<int>(Dispatcher::kMaxDepth)) throw TooDeep{};
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), limitDepth);
  } catch (const TooDeep&) {
    throw ProtocolError(ErrorCode::BadJson, "the message is nested more than 32 levels deep");
  } catch (const nlohmann::json::parse_error&) {
    throw ProtocolError(ErrorCode::BadJson, "the message is not valid JSON");
  }
}

// Reads the id first so that every later error can echo it.
nlohmann::json readId(const nlohmann::json& message) {
  const auto it = message.find("id");
  if (it == message.end()) return nullptr;
  if (it->is_string() || it->is_number_integer()) return *it;
  return nullptr;
}

void checkEnvelope(const nlohmann::json& message) {
  const auto type = message.find("type");
  if (type == message.end()) throw ProtocolError(ErrorCode::BadRequest, "field 'type' is required");
  if (!type->is_string()) throw ProtocolError(ErrorCode::BadRequest, "field 'type' must be a string");
  const auto id = message.find("id");
  if (id == message.end() || id->is_null()) throw ProtocolError(ErrorCode::BadRequest, "field 'id' is required");
  if (!id->is_string() && !id->is_number_integer()) {
    throw ProtocolError(ErrorCode::BadRequest, "field 'id' must be a string or an integer");
  }
}

}  // namespace

Dispatcher::Dispatcher() { registerService(std::make_shared<PingService>()); }

void Dispatcher::registerService(std::shared_ptr<Service> service) {
  if (!service) throw std::logic_error("Dispatcher::registerService: null service");
  const auto types = service->types();
  for (const auto& type : types) {
    if (byType_.contains(type)) throw std::logic_error("message type '" + type + "' is registered twice");
  }
  for (const auto& type : types) byType_.emplace(type, service.get());
  services_.push_back(std::move(service));
}

nlohmann::json Dispatcher::dispatch(Connection& connection, std::string_view text) {
  nlohmann::json id = nullptr;
  try {
    const nlohmann::json message = parseBounded(text);
    if (!message.is_object()) throw ProtocolError(ErrorCode::BadJson, "the message must be a JSON object");
    id = readId(message);
    checkEnvelope(message);
    const std::string& type = message["type"].get_ref<const std::string&>();
    const auto service = byType_.find(type);
    if (service == byType_.end()) {
      throw ProtocolError(ErrorCode::UnknownType, "there is no request type '" + type.substr(0, 64) + "'");
    }
    const Request request{type, id, message};
    auto fields = service->second->handle(connection, request);
    if (!fields) return nullptr;
    return makeReply(id, *fields);
  } catch (const ProtocolError& error) {
    return makeError(id, error.code(), error.what(), error.reason());
  } catch (const std::exception& error) {
    spdlog::error("ws connection {}: request failed: {}", connection.id(), error.what());
    return makeError(id, ErrorCode::Internal, "the server could not handle this request");
  } catch (...) {
    spdlog::error("ws connection {}: request failed with a non-standard exception", connection.id());
    return makeError(id, ErrorCode::Internal, "the server could not handle this request");
  }
}

void Dispatcher::onMessage(Connection& connection, std::string_view text) {
  nlohmann::json reply = dispatch(connection, text);
  if (!reply.is_null()) connection.send(reply);
}

void Dispatcher::onClose(Connection& connection) {
  for (const auto& service : services_) {
    try {
      service->onClose(connection);
    } catch (const std::exception& error) {
      spdlog::error("ws connection {}: service close handler failed: {}", connection.id(), error.what());
    }
  }
}

}  // namespace diemcau::signaling::protocol
