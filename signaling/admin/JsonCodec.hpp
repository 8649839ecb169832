#pragma once

#include <nlohmann/json.hpp>

#include "signaling/store/AuditEntry.hpp"
#include "signaling/store/Meeting.hpp"
#include "signaling/store/Site.hpp"

namespace diemcau::signaling::admin {

/// The admin API's wire form of each entity. Instants are ISO 8601 UTC ("2026-12-01T01:00:00Z"); weekdays are
/// "mon".."sun".
nlohmann::json toJson(const store::Site& site);
nlohmann::json toJson(const store::Meeting& meeting);
nlohmann::json toJson(const store::AuditEntry& entry);

}  // namespace diemcau::signaling::admin
