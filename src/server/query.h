// The statements and portals of the extended query protocol (and of each statement of a simple query).
//
// A PreparedQuery is what Parse makes of one statement: nothing (an empty query), a session command the server
// answers itself, COPY … TO STDOUT (a query whose rows go out as CopyData), DECLARE … CURSOR FOR (a query whose
// portal the session keeps by the cursor's name for FETCH), or a DuckDB prepared statement. Only
// statements that read are prepared: the lake is read-only, so DuckDB statement types other than SELECT and
// EXPLAIN are refused with 25006 before anything runs.
//
// A Portal is a PreparedQuery with its parameter values and result formats (Bind). Executing it streams DuckDB's
// result chunk by chunk into DataRow messages; with a row limit it stops and resumes where it stopped
// (PortalSuspended). DuckDB allows one streaming result per connection, so before another statement runs, the
// session materializes a suspended portal's remaining rows (Portal::Materialize).
//
// Not thread-safe: owned by one session. The DuckDB connection is the session's.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "duckdb.h"
#include "server/pg_types.h"
#include "server/session_command.h"
#include "server/wire.h"

namespace cdmlake::server {

// Rewrites client SQL into DuckDB SQL (catalog emulation, PostgreSQL-isms). Identity when unset.
using QueryRewriter = std::function<std::string(const std::string&)>;

// How COPY … TO STDOUT writes rows.
struct CopyOptions {
  enum Format { kText, kCsv, kBinary } format = kText;
  bool header = false;
  char delimiter = '\t';
  std::string null_text = "\\N";
  char quote = '"';
};

class PreparedQuery {
 public:
  enum Kind { kEmpty, kCommand, kQuery, kCopyOut, kDeclare };

  // Analyses one statement and, for DuckDB statements, prepares it on `connection`. `parameter_oids` are the
  // types Parse gave (0 = infer). Throws PgError: DuckDB's errors mapped to SQLSTATEs, 25006 for statements that
  // would write, 42601 for several statements.
  static std::shared_ptr<PreparedQuery> Prepare(duckdb_connection connection, const std::string& sql,
                                                std::vector<int32_t> parameter_oids, const QueryRewriter& rewrite);
  ~PreparedQuery();
  PreparedQuery(const PreparedQuery&) = delete;
  PreparedQuery& operator=(const PreparedQuery&) = delete;

  Kind kind() const { return kind_; }
  const std::string& sql() const { return sql_; }
  const SessionCommand& command() const { return *command_; }
  const CopyOptions& copy() const { return copy_; }
  // kDeclare: the cursor (its query is this statement's DuckDB statement).
  const CursorDeclaration& cursor() const { return cursor_; }
  duckdb_prepared_statement statement() const { return statement_; }
  // Parameter types for ParameterDescription: those given by Parse, else inferred by DuckDB.
  const std::vector<int32_t>& parameter_oids() const { return parameter_oids_; }
  // Result columns known before execution (empty for commands other than SHOW).
  size_t column_count() const { return column_names_.size(); }
  const std::string& column_name(size_t i) const { return column_names_[i]; }
  duckdb_logical_type column_type(size_t i) const { return column_types_[i]; }
  // The CommandComplete tag's verb for a DuckDB statement ("SELECT", "EXPLAIN").
  const std::string& verb() const { return verb_; }


 private:
  PreparedQuery() = default;
  // `retyped`: the second attempt, with casts added for parameters DuckDB could not type.
  void PrepareDuckDb(duckdb_connection connection, const std::string& sql, bool retyped = false);
  Kind kind_ = kEmpty;
  std::string sql_;
  std::optional<SessionCommand> command_;
  CopyOptions copy_;
  CursorDeclaration cursor_;  // its query view is cleared: sql_ may move
  duckdb_prepared_statement statement_ = nullptr;
  std::vector<int32_t> parameter_oids_;
  std::vector<std::string> column_names_;
  std::vector<duckdb_logical_type> column_types_;
  std::string verb_ = "SELECT";
};

// Writes a RowDescription for columns of the given names and types in the given formats (format codes as Bind
// gives them: none = all text, one = for all, else one per column). Throws PgError 08P01 on a count mismatch.
void WriteRowDescription(MessageWriter& out, const std::vector<std::string>& names,
                         const std::vector<duckdb_logical_type>& types, const std::vector<int16_t>& formats,
                         const TextSettings& settings);

class Portal {
 public:
  // Takes ownership of the parameter values (nullptr = NULL).
  Portal(std::shared_ptr<PreparedQuery> query, std::vector<duckdb_value> parameters, std::vector<int16_t> formats);
  ~Portal();
  Portal(const Portal&) = delete;
  Portal& operator=(const Portal&) = delete;

  const PreparedQuery& query() const { return *query_; }
  const std::shared_ptr<PreparedQuery>& shared_query() const { return query_; }
  const std::vector<int16_t>& formats() const { return formats_; }
  // The result formats of the next rows: a cursor's FETCH may ask for other formats than its DECLARE had.
  void set_formats(std::vector<int16_t> formats);
  // Hands the parameter values over (to the cursor a DECLARE portal opens).
  std::vector<duckdb_value> ReleaseParameters() { return std::move(parameters_); }

  // A portal made by DECLARE is a cursor: COMMIT keeps it only WITH HOLD, ROLLBACK keeps only a holdable cursor
  // of an earlier transaction (`committed`).
  struct Cursor {
    bool hold = false;
    bool binary = false;
    bool committed = false;
  };
  const std::optional<Cursor>& cursor() const { return cursor_; }
  void set_cursor(Cursor cursor) { cursor_ = cursor; }
  // True while a DuckDB streaming result is open on the connection.
  bool streaming() const { return result_open_ && !materialized_; }

  // Runs the statement (on the first call) and sends up to max_rows DataRows (0 = all). Returns true when rows
  // remain (the caller sends PortalSuspended), false when done; *rows counts the rows sent by this call. With
  // `send` unset the rows are skipped instead (MOVE). Throws PgError (DuckDB's errors mapped).
  bool Execute(duckdb_connection connection, MessageWriter& out, int64_t max_rows, const TextSettings& settings,
               int64_t* rows, bool send = true);
  // Sends the whole result as COPY data (CopyOutResponse, CopyData per row, CopyDone); returns the row count.
  int64_t ExecuteCopy(duckdb_connection connection, MessageWriter& out, const TextSettings& settings);
  // Reads the remaining rows of an open streaming result into memory, freeing the connection for another query.
  void Materialize();

 private:
  void Start(duckdb_connection connection, const TextSettings& settings, bool copy_binary);
  // DuckDB re-binds a prepared statement when the catalog changed under it (a saved view replaced while serving,
  // a table moved to the cache with narrower decimals), result types included. The client was told the types at
  // Describe: a column whose PostgreSQL type changed is PostgreSQL's 0A000 "cached plan must not change result
  // type" (pgJDBC prepares again on it); a changed typmod only (numeric(32,6) to numeric(18,6)) is encoded alike.
  void CheckResultTypes() const;
  // Encoders of the result's columns in formats_.
  void MakeEncoders(const TextSettings& settings, bool copy_binary);
  // The next chunk with rows, or nullptr at the end. Throws PgError when the query fails while streaming.
  duckdb_data_chunk NextChunk();
  std::shared_ptr<PreparedQuery> query_;
  std::vector<duckdb_value> parameters_;
  std::vector<int16_t> formats_;
  duckdb_result result_{};
  bool result_open_ = false;
  bool materialized_ = false;
  bool finished_ = false;
  std::deque<duckdb_data_chunk> buffered_;
  duckdb_data_chunk chunk_ = nullptr;  // the chunk being sent
  idx_t chunk_row_ = 0;
  std::vector<ColumnEncoder> encoders_;
  std::vector<duckdb_logical_type> result_types_;
  bool formats_changed_ = false;
  std::optional<Cursor> cursor_;
};

}  // namespace cdmlake::server
