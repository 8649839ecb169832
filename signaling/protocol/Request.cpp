#include "signaling/protocol/Request.hpp"

#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::protocol {

namespace {

const nlohmann::json* find(const nlohmann::json& body, std::string_view field) {
  const auto it = body.find(field);
  return it == body.end() || it->is_null() ? nullptr : &*it;
}

[[noreturn]] void missing(std::string_view field) {
  throw ProtocolError(ErrorCode::BadRequest, "field '" + std::string(field) + "' is required");
}

[[noreturn]] void wrongType(std::string_view field, std::string_view expected) {
  throw ProtocolError(ErrorCode::BadRequest,
                      "field '" + std::string(field) + "' must be " + std::string(expected));
}

}  // namespace

std::optional<std::string> Request::optionalString(std::string_view field) const {
  const nlohmann::json* value = find(body, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) wrongType(field, "a string");
  return value->get<std::string>();
}

const std::string& Request::requireString(std::string_view field) const {
  const nlohmann::json* value = find(body, field);
  if (value == nullptr) missing(field);
  if (!value->is_string()) wrongType(field, "a string");
  return value->get_ref<const std::string&>();
}

std::optional<int64_t> Request::optionalInteger(std::string_view field) const {
  const nlohmann::json* value = find(body, field);
  if (value == nullptr) return std::nullopt;
  // is_number_integer() is also true for unsigned values, which may not fit in int64_t.
  if (value->is_number_unsigned()) {
    if (value->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(value->get<uint64_t>());
  } else if (value->is_number_integer()) {
    return value->get<int64_t>();
  }
  wrongType(field, "an integer");
}

int64_t Request::requireInteger(std::string_view field) const {
  const auto value = optionalInteger(field);
  if (!value) missing(field);
  return *value;
}

std::optional<bool> Request::optionalBool(std::string_view field) const {
  const nlohmann::json* value = find(body, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) wrongType(field, "true or false");
  return value->get<bool>();
}

bool Request::requireBool(std::string_view field) const {
  const auto value = optionalBool(field);
  if (!value) missing(field);
  return *value;
}

const nlohmann::json& Request::requireObject(std::string_view field) const {
  const nlohmann::json* value = find(body, field);
  if (value == nullptr) missing(field);
  if (!value->is_object()) wrongType(field, "an object");
  return *value;
}

const nlohmann::json& Request::requireArray(std::string_view field) const {
  const nlohmann::json* value = find(body, field);
  if (value == nullptr) missing(field);
  if (!value->is_array()) wrongType(field, "an array");
  return *value;
}

}  // namespace diemcau::signaling::protocol
