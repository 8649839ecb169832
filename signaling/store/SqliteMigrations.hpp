#pragma once

#include "signaling/store/SqliteDatabase.hpp"

namespace diemcau::signaling::store {

/// Highest schema version this build knows.
int latestSchemaVersion();

/// Applies every numbered migration above the stored version, each in its own transaction, and records it in
/// schema_version. A database written by a newer build (version above latest) is refused with StoreError.
/// Returns the version after migration.
int migrate(const SqliteDatabase& db);

}  // namespace diemcau::signaling::store
