#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "signaling/protocol/ErrorCode.hpp"

namespace diemcau::signaling::protocol {

/// {"type":"reply","id":ID,"ok":true, ...fields}. `fields` must be an object or null.
nlohmann::json makeReply(const nlohmann::json& id, const nlohmann::json& fields = nlohmann::json::object());

/// {"type":"reply","id":ID,"ok":false,"error":{"code":..,"message":..}}; ID is null when the request's id
/// could not be read (docs/PROTOCOL.md, "Envelope"). A non-empty `reason` adds "reason" to the error object.
nlohmann::json makeError(const nlohmann::json& id, ErrorCode code, std::string_view message,
                         std::string_view reason = {});

/// A server event: {"type":TYPE, ...fields}, no id.
nlohmann::json makeEvent(std::string_view type, const nlohmann::json& fields = nlohmann::json::object());

}  // namespace diemcau::signaling::protocol
