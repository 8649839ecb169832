#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace diemcau::signaling::protocol {

/// A request as a service sees it. `body` is the whole message object (including type and id).
/// The typed getters throw ProtocolError(BadRequest) naming the field, e.g. "field 'sdp' must be a string".
struct Request {
  std::string type;
  nlohmann::json id;
  const nlohmann::json& body;

  const std::string& requireString(std::string_view field) const;
  std::optional<std::string> optionalString(std::string_view field) const;
  int64_t requireInteger(std::string_view field) const;
  std::optional<int64_t> optionalInteger(std::string_view field) const;
  bool requireBool(std::string_view field) const;
  std::optional<bool> optionalBool(std::string_view field) const;
  const nlohmann::json& requireObject(std::string_view field) const;
  const nlohmann::json& requireArray(std::string_view field) const;
};

}  // namespace diemcau::signaling::protocol
