#include "signaling/store/SqliteDatabase.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "signaling/store/StoreError.hpp"

namespace diemcau::signaling::store {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConflictError(message);
  throw StoreError(message);
}

}  // namespace

void SqliteStatement::Finalizer::operator()(sqlite3_stmt* stmt) const {
  sqlite3_finalize(stmt);
}
void SqliteDatabase::Closer::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  stmt_.reset(raw);
  if (rc != SQLITE_OK) fail(db, rc, "prepare");
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::bindNull(int index) {
  int rc = sqlite3_bind_null(stmt_.get(), index);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bindNull(index);
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, sqlite3_extended_errcode(db_), "step");
}

void SqliteStatement::run() {
  while (step()) {
  }
}

std::string SqliteStatement::text(int column) const {
  const auto* bytes = sqlite3_column_text(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  return bytes ? std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size))
               : std::string();
}

std::int64_t SqliteStatement::integer(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

bool SqliteStatement::isNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

SqliteDatabase::SqliteDatabase(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) fail(raw, rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  // Another process (diemcauctl never does, but an operator's sqlite3 shell may) can hold the lock briefly.
  sqlite3_busy_timeout(raw, 2000);
  exec("PRAGMA foreign_keys = ON;");
  if (path != ":memory:") {
    // WAL: readers never block the writer, and a crash mid-write leaves the last commit intact.
    exec("PRAGMA journal_mode = WAL;");
    exec("PRAGMA synchronous = NORMAL;");
  }
}

void SqliteDatabase::exec(const std::string& sql) const {
  char* error = nullptr;
  int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConflictError(message);
    throw StoreError("exec: " + message);
  }
}

std::int64_t SqliteDatabase::lastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_.get());
}
int SqliteDatabase::changes() const {
  return sqlite3_changes(db_.get());
}

SqliteTransaction::SqliteTransaction(const SqliteDatabase& db) : db_(db) {
  db_.exec("SAVEPOINT diemcau_tx;");
}

SqliteTransaction::~SqliteTransaction() {
  if (done_) return;
  try {
    db_.exec("ROLLBACK TO diemcau_tx; RELEASE diemcau_tx;");
  } catch (const std::exception& e) {
    spdlog::error("store: rollback failed: {}", e.what());
  }
}

void SqliteTransaction::commit() {
  db_.exec("RELEASE diemcau_tx;");
  done_ = true;
}

}  // namespace diemcau::signaling::store
