#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace diemcau::signaling::store {

/// RAII over a prepared statement: bind by 1-based index, step, read columns.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql);

  SqliteStatement& bind(int index, std::string_view text);
  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bindNull(int index);
  SqliteStatement& bind(int index, const std::optional<std::int64_t>& value);

  /// True while a row is available; throws on error (constraint errors become ConflictError).
  bool step();
  /// Steps to completion, for statements without rows.
  void run();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  bool isNull(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

/// RAII over a connection, opened with WAL and foreign keys on.
class SqliteDatabase {
 public:
  /// path ":memory:" gives a private in-memory database (tests).
  explicit SqliteDatabase(const std::string& path);

  SqliteStatement prepare(std::string_view sql) const { return SqliteStatement(db_.get(), sql); }
  /// Runs one or more statements without parameters.
  void exec(const std::string& sql) const;
  std::int64_t lastInsertRowId() const;
  int changes() const;
  sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  std::unique_ptr<sqlite3, Closer> db_;
};

/// A savepoint: nests, commits on commit(), rolls back when destroyed without it.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(const SqliteDatabase& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  void commit();

 private:
  const SqliteDatabase& db_;
  bool done_ = false;
};

}  // namespace diemcau::signaling::store
