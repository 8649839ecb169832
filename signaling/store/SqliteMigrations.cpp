#include "signaling/store/SqliteMigrations.hpp"

#include <array>
#include <ctime>
#include <string>

#include <spdlog/spdlog.h>

#include "signaling/store/StoreError.hpp"

namespace diemcau::signaling::store {

namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released migration is never edited, a fix is a new number.
constexpr std::array kMigrations{
    Migration{1, R"sql(
CREATE TABLE sites(
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('hall', 'commune', 'other')),
  contact    TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE TABLE meetings(
  id               TEXT PRIMARY KEY,
  title            TEXT NOT NULL,
  agenda           TEXT NOT NULL DEFAULT '',
  host_site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
  start_at         INTEGER NOT NULL,
  end_at           INTEGER NOT NULL,
  time_zone        TEXT NOT NULL,
  recurrence       TEXT NOT NULL CHECK (recurrence IN ('none', 'daily', 'weekly', 'monthly')),
  recurrence_days  INTEGER NOT NULL DEFAULT 0,
  recurrence_until INTEGER,
  recording        TEXT NOT NULL CHECK (recording IN ('none', 'host', 'all')),
  lobby_lead_s     INTEGER NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('scheduled', 'open', 'live', 'ended', 'cancelled')),
  series_id        TEXT REFERENCES meetings(id) ON DELETE CASCADE,
  created_at       INTEGER NOT NULL,
  CHECK (end_at > start_at)
);
CREATE INDEX meetings_host_start ON meetings(host_site_id, start_at);
CREATE INDEX meetings_state ON meetings(state);
CREATE INDEX meetings_series ON meetings(series_id);
CREATE TABLE meeting_sites(
  meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
  position   INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, site_id)
);
CREATE INDEX meeting_sites_site ON meeting_sites(site_id);
CREATE TABLE revoked_tokens(
  token_id   TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL
);
CREATE TABLE audit_log(
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  at     INTEGER NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
)sql"},
};

int storedVersion(const SqliteDatabase& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);");
  auto stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version;");
  return stmt.step() ? static_cast<int>(stmt.integer(0)) : 0;
}

}  // namespace

int latestSchemaVersion() {
  return kMigrations.back().version;
}

int migrate(const SqliteDatabase& db) {
  int version = storedVersion(db);
  if (version > latestSchemaVersion()) {
    throw StoreError("database schema version " + std::to_string(version) + " is newer than this build (" +
                     std::to_string(latestSchemaVersion()) + ")");
  }
  for (const auto& migration : kMigrations) {
    if (migration.version <= version) continue;
    SqliteTransaction tx(db);
    db.exec(migration.sql);
    db.prepare("INSERT INTO schema_version(version, applied_at) VALUES (?, ?);")
        .bind(1, std::int64_t{migration.version})
        .bind(2, static_cast<std::int64_t>(std::time(nullptr)))
        .run();
    tx.commit();
    spdlog::info("store: applied migration {}", migration.version);
    version = migration.version;
  }
  return version;
}

}  // namespace diemcau::signaling::store
