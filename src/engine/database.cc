#include "engine/database.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "engine/quote.h"
#include "engine/sql_trace.h"
#include "engine/value_format.h"

namespace cdmlake::engine {

namespace {

[[noreturn]] void ThrowResultError(duckdb_result* result) {
  duckdb_error_type type = duckdb_result_error_type(result);
  const char* message = duckdb_result_error(result);
  std::string text = message ? message : "unknown DuckDB error";
  duckdb_destroy_result(result);
  throw EngineError(type, text);
}

std::string DefaultMemoryLimit() {
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return "4GB";
  uint64_t mib = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size) / (1024 * 1024);
  return std::to_string(mib * 6 / 10) + "MiB";
}

// Times one statement for the SQL trace (sql_trace.h): records it when it goes out of scope, with the error
// message set by the failing path.
class TracedStatement {
 public:
  explicit TracedStatement(std::string_view sql) : sql_(sql), start_(std::chrono::steady_clock::now()) {}
  ~TracedStatement() {
    if (!SqlTraceEnabled()) return;
    std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start_;
    RecordSqlTrace(sql_, seconds.count(), error_);
  }
  TracedStatement(const TracedStatement&) = delete;
  TracedStatement& operator=(const TracedStatement&) = delete;
  void Failed(const char* message) { error_ = message && *message ? message : "failed"; }

 private:
  std::string_view sql_;
  std::chrono::steady_clock::time_point start_;
  std::string error_;
};

}  // namespace

duckdb_error_type ErrorTypeFromMessage(std::string_view message) {
  static const std::pair<const char*, duckdb_error_type> kPrefixes[] = {
      {"Conversion Error", DUCKDB_ERROR_CONVERSION}, {"Invalid Input Error", DUCKDB_ERROR_INVALID_INPUT},
      {"IO Error", DUCKDB_ERROR_IO},                 {"INTERRUPT Error", DUCKDB_ERROR_INTERRUPT},
      {"Interrupt", DUCKDB_ERROR_INTERRUPT},         {"Out of Memory Error", DUCKDB_ERROR_OUT_OF_MEMORY},
      {"Binder Error", DUCKDB_ERROR_BINDER},         {"Catalog Error", DUCKDB_ERROR_CATALOG},
      {"Parser Error", DUCKDB_ERROR_PARSER},         {"Permission Error", DUCKDB_ERROR_PERMISSION},
      {"Out of Range Error", DUCKDB_ERROR_OUT_OF_RANGE}, {"Constraint Error", DUCKDB_ERROR_CONSTRAINT},
      {"Internal Error", DUCKDB_ERROR_INTERNAL},     {"FATAL Error", DUCKDB_ERROR_FATAL},
  };
  for (const auto& [prefix, type] : kPrefixes) {
    if (message.rfind(prefix, 0) == 0) return type;
  }
  return DUCKDB_ERROR_INVALID;
}

ErrorKind KindOfEngineError(duckdb_error_type type) {
  switch (type) {
    case DUCKDB_ERROR_INTERRUPT: return ErrorKind::kInterrupted;
    case DUCKDB_ERROR_INTERNAL:
    case DUCKDB_ERROR_FATAL:
    case DUCKDB_ERROR_NOT_IMPLEMENTED:
      return ErrorKind::kInternal;
    case DUCKDB_ERROR_IO: return ErrorKind::kIo;
    case DUCKDB_ERROR_CONVERSION:
    case DUCKDB_ERROR_INVALID_INPUT:
      return ErrorKind::kData;
    default: return ErrorKind::kUser;
  }
}

EngineError::EngineError(duckdb_error_type type, const std::string& message)
    : Error(KindOfEngineError(type), message), type_(type) {}

// ---- Chunk ----

Chunk::~Chunk() {
  if (chunk_) duckdb_destroy_data_chunk(&chunk_);
}
Chunk::Chunk(Chunk&& other) noexcept : chunk_(other.chunk_), result_(other.result_) { other.chunk_ = nullptr; }
Chunk& Chunk::operator=(Chunk&& other) noexcept {
  if (this != &other) {
    if (chunk_) duckdb_destroy_data_chunk(&chunk_);
    chunk_ = other.chunk_;
    result_ = other.result_;
    other.chunk_ = nullptr;
  }
  return *this;
}

idx_t Chunk::size() const { return chunk_ ? duckdb_data_chunk_get_size(chunk_) : 0; }

std::optional<std::string> Chunk::Text(idx_t column, idx_t row) const {
  return FormatCell(duckdb_data_chunk_get_vector(chunk_, column), result_->column_logical_type(column), row);
}

bool Chunk::IsNull(idx_t column, idx_t row) const {
  uint64_t* validity = duckdb_vector_get_validity(duckdb_data_chunk_get_vector(chunk_, column));
  return validity != nullptr && !duckdb_validity_row_is_valid(validity, row);
}

int64_t Chunk::GetInt64(idx_t column, idx_t row) const {
  void* data = duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, column));
  switch (result_->column_type(column)) {
    case DUCKDB_TYPE_BOOLEAN: return static_cast<const bool*>(data)[row];
    case DUCKDB_TYPE_TINYINT: return static_cast<const int8_t*>(data)[row];
    case DUCKDB_TYPE_SMALLINT: return static_cast<const int16_t*>(data)[row];
    case DUCKDB_TYPE_INTEGER: return static_cast<const int32_t*>(data)[row];
    case DUCKDB_TYPE_BIGINT: return static_cast<const int64_t*>(data)[row];
    case DUCKDB_TYPE_UTINYINT: return static_cast<const uint8_t*>(data)[row];
    case DUCKDB_TYPE_USMALLINT: return static_cast<const uint16_t*>(data)[row];
    case DUCKDB_TYPE_UINTEGER: return static_cast<const uint32_t*>(data)[row];
    case DUCKDB_TYPE_UBIGINT: return static_cast<int64_t>(static_cast<const uint64_t*>(data)[row]);
    case DUCKDB_TYPE_HUGEINT: return static_cast<int64_t>(static_cast<const duckdb_hugeint*>(data)[row].lower);
    default:
      throw Error(ErrorKind::kInternal, "column " + result_->column_name(column) + " of type " +
                                            result_->column_type_name(column) + " is not an integer");
  }
}

double Chunk::GetDouble(idx_t column, idx_t row) const {
  void* data = duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, column));
  switch (result_->column_type(column)) {
    case DUCKDB_TYPE_DOUBLE: return static_cast<const double*>(data)[row];
    case DUCKDB_TYPE_FLOAT: return static_cast<const float*>(data)[row];
    default: return static_cast<double>(GetInt64(column, row));
  }
}

std::string Chunk::GetString(idx_t column, idx_t row) const {
  duckdb_type type = result_->column_type(column);
  if (type != DUCKDB_TYPE_VARCHAR && type != DUCKDB_TYPE_BLOB) {
    throw Error(ErrorKind::kInternal, "column " + result_->column_name(column) + " is not a string");
  }
  auto* strings = static_cast<duckdb_string_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, column)));
  return std::string(duckdb_string_t_data(&strings[row]), duckdb_string_t_length(strings[row]));
}

bool Chunk::GetBool(idx_t column, idx_t row) const { return GetInt64(column, row) != 0; }

// ---- Result ----

Result::Result(duckdb_result result) : result_(result) {
  idx_t n = duckdb_column_count(&result_);
  for (idx_t i = 0; i < n; ++i) {
    const char* name = duckdb_column_name(&result_, i);
    names_.push_back(name ? name : "");
    types_.push_back(duckdb_column_logical_type(&result_, i));
  }
}

Result::~Result() {
  for (auto& t : types_) duckdb_destroy_logical_type(&t);
  if (owned_) duckdb_destroy_result(&result_);
}

Result::Result(Result&& other) noexcept
    : result_(other.result_), owned_(other.owned_), names_(std::move(other.names_)), types_(std::move(other.types_)) {
  other.owned_ = false;
  other.types_.clear();
}

duckdb_type Result::column_type(idx_t i) const { return duckdb_get_type_id(types_[i]); }
std::string Result::column_type_name(idx_t i) const { return TypeName(types_[i]); }
int64_t Result::rows_changed() { return static_cast<int64_t>(duckdb_rows_changed(&result_)); }

bool Result::Next(Chunk* chunk) {
  duckdb_data_chunk next = duckdb_fetch_chunk(result_);
  if (next == nullptr) {
    // A streaming result reports errors met while producing later chunks here.
    const char* message = duckdb_result_error(&result_);
    if (message != nullptr && *message != '\0') {
      throw EngineError(duckdb_result_error_type(&result_), message);
    }
    *chunk = Chunk();
    return false;
  }
  *chunk = Chunk();
  chunk->chunk_ = next;
  chunk->result_ = this;
  return true;
}

std::vector<std::vector<std::optional<std::string>>> Result::FetchAllText() {
  std::vector<std::vector<std::optional<std::string>>> rows;
  Chunk chunk;
  while (Next(&chunk)) {
    for (idx_t r = 0; r < chunk.size(); ++r) {
      std::vector<std::optional<std::string>> row;
      for (idx_t c = 0; c < column_count(); ++c) row.push_back(chunk.Text(c, r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string Result::ScalarText() {
  auto rows = FetchAllText();
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "";
  return *rows[0][0];
}

// ---- PreparedStatement ----

PreparedStatement::PreparedStatement(duckdb_prepared_statement statement) : statement_(statement) {}
PreparedStatement::~PreparedStatement() {
  if (statement_) duckdb_destroy_prepare(&statement_);
}
PreparedStatement::PreparedStatement(PreparedStatement&& other) noexcept : statement_(other.statement_) {
  other.statement_ = nullptr;
}

idx_t PreparedStatement::parameter_count() const { return duckdb_nparams(statement_); }

void PreparedStatement::Check(duckdb_state state, idx_t index) {
  if (state == DuckDBError) {
    throw EngineError(DUCKDB_ERROR_INVALID_INPUT, "cannot bind parameter $" + std::to_string(index) +
                                                      " (the statement has " + std::to_string(parameter_count()) +
                                                      " parameters)");
  }
}

PreparedStatement& PreparedStatement::Bind(idx_t index, int64_t value) {
  Check(duckdb_bind_int64(statement_, index, value), index);
  return *this;
}
PreparedStatement& PreparedStatement::Bind(idx_t index, double value) {
  Check(duckdb_bind_double(statement_, index, value), index);
  return *this;
}
PreparedStatement& PreparedStatement::Bind(idx_t index, bool value) {
  Check(duckdb_bind_boolean(statement_, index, value), index);
  return *this;
}
PreparedStatement& PreparedStatement::Bind(idx_t index, std::string_view value) {
  Check(duckdb_bind_varchar_length(statement_, index, value.data(), value.size()), index);
  return *this;
}
PreparedStatement& PreparedStatement::BindNull(idx_t index) {
  Check(duckdb_bind_null(statement_, index), index);
  return *this;
}

Result PreparedStatement::Execute() {
  duckdb_result result;
  if (duckdb_execute_prepared(statement_, &result) == DuckDBError) ThrowResultError(&result);
  return Result(result);
}

duckdb_statement_type PreparedStatement::statement_type() const { return duckdb_prepared_statement_type(statement_); }

// ---- Appender ----

Appender::Appender(duckdb_appender appender) : appender_(appender) {}
Appender::~Appender() {
  if (appender_) duckdb_appender_destroy(&appender_);
}
Appender::Appender(Appender&& other) noexcept : appender_(other.appender_) { other.appender_ = nullptr; }

void Appender::Check(duckdb_state state) {
  if (state == DuckDBError) {
    const char* message = duckdb_appender_error(appender_);
    throw EngineError(DUCKDB_ERROR_INVALID_INPUT, std::string("appender: ") + (message ? message : "unknown error"));
  }
}
Appender& Appender::Append(int64_t value) {
  Check(duckdb_append_int64(appender_, value));
  return *this;
}
Appender& Appender::Append(double value) {
  Check(duckdb_append_double(appender_, value));
  return *this;
}
Appender& Appender::Append(bool value) {
  Check(duckdb_append_bool(appender_, value));
  return *this;
}
Appender& Appender::Append(std::string_view value) {
  Check(duckdb_append_varchar_length(appender_, value.data(), value.size()));
  return *this;
}
Appender& Appender::AppendNull() {
  Check(duckdb_append_null(appender_));
  return *this;
}
void Appender::EndRow() { Check(duckdb_appender_end_row(appender_)); }
void Appender::Close() { Check(duckdb_appender_close(appender_)); }

// ---- Connection ----

Connection::Connection(Database& database) {
  if (duckdb_connect(database.raw(), &connection_) == DuckDBError) {
    throw EngineError(DUCKDB_ERROR_CONNECTION, "cannot connect to the DuckDB database");
  }
  // Progress is tracked only with the progress bar on; we draw our own, so DuckDB must not print it. These are
  // session settings: in a sandboxed (locked) database they fail, and that connection reports no progress.
  duckdb_result result;
  duckdb_query(connection_, "SET enable_progress_bar = true; SET enable_progress_bar_print = false", &result);
  duckdb_destroy_result(&result);
}

Connection::~Connection() {
  if (connection_) duckdb_disconnect(&connection_);
}

namespace {

// Runs one or more statements, traced; returns the last one's result, which the caller owns.
duckdb_result QueryTraced(duckdb_connection connection, std::string_view sql) {
  duckdb_result result;
  std::string text(sql);
  TracedStatement traced(sql);
  if (duckdb_query(connection, text.c_str(), &result) == DuckDBError) {
    traced.Failed(duckdb_result_error(&result));
    ThrowResultError(&result);
  }
  return result;
}

}  // namespace

void Connection::Execute(std::string_view sql) {
  duckdb_result result = QueryTraced(connection_, sql);
  duckdb_destroy_result(&result);
}

Result Connection::Query(std::string_view sql) { return Result(QueryTraced(connection_, sql)); }

namespace {

// Connection::Run without the trace.
Result RunScript(Connection& connection, std::string_view sql, const std::function<void(double)>& on_progress) {
  std::string text(sql);
  duckdb_extracted_statements statements = nullptr;
  idx_t count = duckdb_extract_statements(connection.raw(), text.c_str(), &statements);
  struct ExtractedGuard {
    duckdb_extracted_statements* s;
    ~ExtractedGuard() { duckdb_destroy_extracted(s); }
  } guard{&statements};
  if (count == 0) {
    const char* message = duckdb_extract_statements_error(statements);
    throw EngineError(DUCKDB_ERROR_PARSER, message && *message ? message : "no SQL statement given");
  }
  for (idx_t i = 0; i < count; ++i) {
    duckdb_prepared_statement raw = nullptr;
    if (duckdb_prepare_extracted_statement(connection.raw(), statements, i, &raw) == DuckDBError) {
      std::string message = duckdb_prepare_error(raw) ? duckdb_prepare_error(raw) : "cannot prepare statement";
      duckdb_destroy_prepare(&raw);
      // The C API gives a failed prepare no error type; DuckDB's message starts with it.
      throw EngineError(ErrorTypeFromMessage(message), message);
    }
    PreparedStatement prepared(raw);
    duckdb_pending_result pending = nullptr;
    bool last = i + 1 == count;
    duckdb_state state = last ? duckdb_pending_prepared_streaming(raw, &pending) : duckdb_pending_prepared(raw, &pending);
    duckdb_result result;
    if (state == DuckDBError) {
      std::string message = duckdb_pending_error(pending) ? duckdb_pending_error(pending) : "cannot start statement";
      duckdb_destroy_pending(&pending);
      throw EngineError(DUCKDB_ERROR_INVALID, message);
    }
    while (true) {
      duckdb_pending_state ps = duckdb_pending_execute_task(pending);
      if (ps == DUCKDB_PENDING_RESULT_READY) break;
      if (ps == DUCKDB_PENDING_ERROR) {
        std::string message = duckdb_pending_error(pending) ? duckdb_pending_error(pending) : "query failed";
        duckdb_destroy_pending(&pending);
        throw EngineError(ErrorTypeFromMessage(message), message);
      }
      if (on_progress) on_progress(connection.Progress());
    }
    state = duckdb_execute_pending(pending, &result);
    duckdb_destroy_pending(&pending);
    if (state == DuckDBError) ThrowResultError(&result);
    if (last) return Result(result);
    duckdb_destroy_result(&result);
  }
  throw Error(ErrorKind::kInternal, "unreachable: no statement ran");
}

}  // namespace

Result Connection::Run(std::string_view sql, const std::function<void(double)>& on_progress) {
  TracedStatement traced(sql);
  try {
    return RunScript(*this, sql, on_progress);
  } catch (const std::exception& e) {
    traced.Failed(e.what());
    throw;
  }
}

PreparedStatement Connection::Prepare(std::string_view sql) {
  duckdb_prepared_statement raw = nullptr;
  std::string text(sql);
  if (duckdb_prepare(connection_, text.c_str(), &raw) == DuckDBError) {
    std::string message = duckdb_prepare_error(raw) ? duckdb_prepare_error(raw) : "cannot prepare statement";
    duckdb_destroy_prepare(&raw);
    throw EngineError(ErrorTypeFromMessage(message), message);
  }
  return PreparedStatement(raw);
}

Appender Connection::CreateAppender(const std::string& schema, const std::string& table, const std::string& catalog) {
  duckdb_appender raw = nullptr;
  if (duckdb_appender_create_ext(connection_, catalog.empty() ? nullptr : catalog.c_str(), schema.c_str(), table.c_str(),
                                 &raw) == DuckDBError) {
    std::string message = duckdb_appender_error(raw) ? duckdb_appender_error(raw) : "cannot create appender";
    duckdb_appender_destroy(&raw);
    throw EngineError(DUCKDB_ERROR_CATALOG, message + " (table " + schema + "." + table + ")");
  }
  return Appender(raw);
}

void Connection::Interrupt() { duckdb_interrupt(connection_); }

double Connection::Progress() {
  duckdb_query_progress_type p = duckdb_query_progress(connection_);
  return p.percentage < 0 ? -1 : p.percentage / 100.0;
}

// ---- Database ----

Database::Database(const Settings& settings) {
  temp_directory_ = settings.temp_directory;
  if (temp_directory_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    temp_directory_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/cdmlake-" + std::to_string(::getpid());
    owns_temp_directory_ = true;
  }
  duckdb_config config;
  if (duckdb_create_config(&config) == DuckDBError) throw EngineError(DUCKDB_ERROR_INTERNAL, "cannot create config");
  auto set = [&](const char* name, const std::string& value) {
    if (duckdb_set_config(config, name, value.c_str()) == DuckDBError) {
      duckdb_destroy_config(&config);
      throw EngineError(DUCKDB_ERROR_SETTINGS, std::string("invalid DuckDB setting ") + name + "=" + value);
    }
  };
  if (settings.threads > 0) set("threads", std::to_string(settings.threads));
  set("memory_limit", settings.memory_limit.empty() ? DefaultMemoryLimit() : settings.memory_limit);
  set("temp_directory", temp_directory_);
  // Only the extensions built into the library exist here; fail at once rather than try a download.
  set("autoinstall_known_extensions", "false");
  for (const auto& [name, value] : settings.options) set(name.c_str(), value);
  char* error = nullptr;
  if (duckdb_open_ext(nullptr, &database_, config, &error) == DuckDBError) {
    std::string message = error ? error : "cannot open DuckDB";
    duckdb_free(error);
    duckdb_destroy_config(&config);
    throw EngineError(DUCKDB_ERROR_SETTINGS, message);
  }
  duckdb_destroy_config(&config);
  Connection setup(*this);
  // Datetimes in a CDM lake are UTC; render TIMESTAMPTZ in UTC whatever the machine's zone.
  setup.Execute("SET GLOBAL TimeZone = 'UTC'");

  if (!settings.allowed_directories.empty()) {
    setup.Execute("SET allowed_directories = " + QuoteLiteralList(settings.allowed_directories));
    setup.Execute("SET enable_external_access = false");
    setup.Execute("SET lock_configuration = true");
  }
}

Database::~Database() {
  if (database_) duckdb_close(&database_);
  if (owns_temp_directory_) {
    std::error_code ec;
    std::filesystem::remove_all(temp_directory_, ec);
  }
}

}  // namespace cdmlake::engine
