// A small RAII wrapper over DuckDB's C API: one Database per process, Connections on it, prepared statements
// with typed binding, chunk-wise results and an appender. Results are read chunk by chunk through vectors
// (never the deprecated duckdb_value_* calls). Every failure throws EngineError, which keeps DuckDB's error
// type so callers can tell a syntax error from an I/O error or an interrupt.
//
// Thread-safety: a Database may be shared by threads; a Connection and everything made from it belong to one
// thread at a time, except Connection::Interrupt and Connection::Progress, which any thread may call.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "duckdb.h"
#include "util/error.h"

namespace cdmlake::engine {

// Engine settings are always explicit: DuckDB's defaults (80% of RAM, a temp folder in the working directory)
// are wrong for a tool that runs inside a lake.
struct Settings {
  int threads = 0;                 // 0: one per core
  std::string memory_limit;        // e.g. "4GB"; empty: 60% of physical memory
  std::string temp_directory;      // where DuckDB spills; empty: $TMPDIR/cdmlake-<pid>
  // Sandbox: when non-empty, DuckDB may read and write only below these directories and extensions cannot be
  // installed; the configuration is locked afterwards.
  std::vector<std::string> allowed_directories;
  // Further DuckDB options set when the database opens (before the sandbox locks the configuration), e.g. the
  // server's PostgreSQL-like NULL ordering.
  std::vector<std::pair<std::string, std::string>> options;
};

class EngineError : public Error {
 public:
  EngineError(duckdb_error_type type, const std::string& message);
  duckdb_error_type type() const { return type_; }

 private:
  duckdb_error_type type_;
};

class Result;

// A chunk of result rows (up to 2048). Valid until the next Result::Next call.
class Chunk {
 public:
  Chunk() = default;
  ~Chunk();
  Chunk(Chunk&& other) noexcept;
  Chunk& operator=(Chunk&& other) noexcept;

  idx_t size() const;
  // The value as text (DuckDB's VARCHAR rendering), or nullopt for NULL.
  std::optional<std::string> Text(idx_t column, idx_t row) const;
  bool IsNull(idx_t column, idx_t row) const;
  // Typed access for callers that know the column type; the caller must check IsNull first.
  int64_t GetInt64(idx_t column, idx_t row) const;  // any integer type
  double GetDouble(idx_t column, idx_t row) const;  // DOUBLE, FLOAT or any integer type
  std::string GetString(idx_t column, idx_t row) const;  // VARCHAR or BLOB
  bool GetBool(idx_t column, idx_t row) const;

 private:
  friend class Result;
  duckdb_data_chunk chunk_ = nullptr;
  const Result* result_ = nullptr;
};

class Result {
 public:
  explicit Result(duckdb_result result);
  ~Result();
  Result(Result&& other) noexcept;
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;

  idx_t column_count() const { return names_.size(); }
  const std::string& column_name(idx_t i) const { return names_[i]; }
  duckdb_type column_type(idx_t i) const;
  duckdb_logical_type column_logical_type(idx_t i) const { return types_[i]; }
  std::string column_type_name(idx_t i) const;
  int64_t rows_changed();

  // Reads the next chunk into *chunk; false when there are no more rows.
  bool Next(Chunk* chunk);
  // Convenience for small results: every row as text cells (nullopt for NULL).
  std::vector<std::vector<std::optional<std::string>>> FetchAllText();
  // Convenience for a single value: the text of the first column of the first row ("" when NULL or empty).
  std::string ScalarText();

 private:
  duckdb_result result_;
  bool owned_ = true;
  std::vector<std::string> names_;
  std::vector<duckdb_logical_type> types_;
};

class PreparedStatement {
 public:
  PreparedStatement(duckdb_prepared_statement statement);
  ~PreparedStatement();
  PreparedStatement(PreparedStatement&& other) noexcept;
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  idx_t parameter_count() const;
  // Parameters are numbered from 1, as in SQL ($1).
  PreparedStatement& Bind(idx_t index, int64_t value);
  PreparedStatement& Bind(idx_t index, double value);
  PreparedStatement& Bind(idx_t index, bool value);
  PreparedStatement& Bind(idx_t index, std::string_view value);
  PreparedStatement& Bind(idx_t index, const char* value) { return Bind(index, std::string_view(value)); }
  PreparedStatement& BindNull(idx_t index);
  Result Execute();
  duckdb_statement_type statement_type() const;
  duckdb_prepared_statement raw() const { return statement_; }

 private:
  void Check(duckdb_state state, idx_t index);
  duckdb_prepared_statement statement_;
};

// Appends rows to a table much faster than INSERT. Values are given column by column, then EndRow.
class Appender {
 public:
  Appender(duckdb_appender appender);
  ~Appender();
  Appender(Appender&& other) noexcept;
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;
  Appender& Append(int64_t value);
  Appender& Append(double value);
  Appender& Append(bool value);
  Appender& Append(std::string_view value);
  Appender& AppendNull();
  void EndRow();
  // Writes the buffered rows; also done by the destructor (which cannot report errors).
  void Close();

 private:
  void Check(duckdb_state state);
  duckdb_appender appender_;
};

class Database;

class Connection {
 public:
  explicit Connection(Database& database);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements and discards their results.
  void Execute(std::string_view sql);
  // Runs one statement and returns its materialized result.
  Result Query(std::string_view sql);
  // Runs a script of one or more statements; returns the result of the last one, streamed. While a statement
  // runs, on_progress (when set) receives the fraction done, from this thread.
  Result Run(std::string_view sql, const std::function<void(double)>& on_progress = {});
  PreparedStatement Prepare(std::string_view sql);
  // An appender for catalog.schema.table; catalog "" is the default database, "temp" holds temporary tables.
  Appender CreateAppender(const std::string& schema, const std::string& table, const std::string& catalog = "");

  // Stops the running query of this connection from another thread; it then fails with an interrupt error.
  void Interrupt();
  // Fraction of the running query done, or -1 when unknown.
  double Progress();
  duckdb_connection raw() const { return connection_; }

 private:
  duckdb_connection connection_ = nullptr;
};

class Database {
 public:
  // Opens an in-memory database with the given settings. Throws EngineError on an invalid setting.
  explicit Database(const Settings& settings);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  duckdb_database raw() const { return database_; }
  const std::string& temp_directory() const { return temp_directory_; }

 private:
  duckdb_database database_ = nullptr;
  std::string temp_directory_;
  bool owns_temp_directory_ = false;
};

// DuckDB's error type from the prefix of its message ("Conversion Error: ..."), for the places in the C API
// that give only a message.
duckdb_error_type ErrorTypeFromMessage(std::string_view message);
// Maps DuckDB's error types onto cdmlake's error kinds.
ErrorKind KindOfEngineError(duckdb_error_type type);

}  // namespace cdmlake::engine
