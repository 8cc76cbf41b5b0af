#include "server/query.h"

#include <algorithm>
#include <cctype>

#include "engine/database.h"
#include "server/pg_column_names.h"
#include "server/pg_error.h"
#include "server/sql_text.h"
#include "server/sqlstate.h"

namespace cdmlake::server {

namespace {

[[noreturn]] void ThrowDuckDb(const char* message) {
  std::string text = message ? message : "unknown DuckDB error";
  throw ToPgError(engine::EngineError(engine::ErrorTypeFromMessage(text), text));
}

bool StartsWithWord(std::string_view s, std::string_view word) {
  if (s.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != word[i]) return false;
  }
  return s.size() == word.size() || !(std::isalnum(static_cast<unsigned char>(s[word.size()])) || s[word.size()] == '_');
}

// COPY's options after TO STDOUT: the parenthesized list (FORMAT csv, HEADER, DELIMITER ',', NULL '') and the
// older keywords (CSV, HEADER, BINARY, DELIMITER [AS] 'x', NULL [AS] 'x').
CopyOptions ParseCopyOptions(const std::vector<SqlToken>& t, size_t i) {
  CopyOptions o;
  bool csv_null_set = false;
  auto value_at = [&](size_t k) -> std::string { return k < t.size() ? t[k].text : std::string(); };
  for (; i < t.size(); ++i) {
    if (t[i].kind == SqlToken::kPunct) continue;
    const std::string& w = t[i].text;
    if (w == "with") continue;
    if (w == "format") {
      std::string f = value_at(++i);
      for (char& c : f) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (f == "csv") o.format = CopyOptions::kCsv;
      else if (f == "binary") o.format = CopyOptions::kBinary;
      else if (f == "text") o.format = CopyOptions::kText;
      else throw PgError("22023", "COPY format \"" + f + "\" not recognized");
    } else if (w == "csv") {
      o.format = CopyOptions::kCsv;
    } else if (w == "binary") {
      o.format = CopyOptions::kBinary;
    } else if (w == "header") {
      o.header = !(i + 1 < t.size() && (t[i + 1].text == "false" || t[i + 1].text == "off" || t[i + 1].text == "0"));
      if (i + 1 < t.size() && t[i + 1].kind != SqlToken::kPunct &&
          (t[i + 1].text == "true" || t[i + 1].text == "on" || t[i + 1].text == "false" || t[i + 1].text == "off" ||
           t[i + 1].text == "1" || t[i + 1].text == "0"))
        ++i;
    } else if (w == "delimiter") {
      if (value_at(i + 1) == "as") ++i;
      std::string d = value_at(++i);
      if (d.size() != 1) throw PgError("22023", "COPY delimiter must be a single one-byte character");
      o.delimiter = d[0];
    } else if (w == "null") {
      if (value_at(i + 1) == "as") ++i;
      o.null_text = value_at(++i);
      csv_null_set = true;
    } else if (w == "quote") {
      if (value_at(i + 1) == "as") ++i;
      std::string q = value_at(++i);
      if (q.size() != 1) throw PgError("22023", "COPY quote must be a single one-byte character");
      o.quote = q[0];
    } else if (w == "encoding") {
      ++i;
    } else {
      throw PgError(sqlstate::kSyntaxError, "option \"" + w + "\" not recognized in COPY");
    }
  }
  if (o.format == CopyOptions::kCsv) {
    bool delimiter_given = false;
    for (const SqlToken& tok : t) delimiter_given |= tok.text == "delimiter";
    if (!delimiter_given) o.delimiter = ',';
    if (!csv_null_set) o.null_text = "";
  }
  return o;
}

// COPY (query) TO STDOUT … or COPY table [(columns)] TO STDOUT …: the query whose rows are copied.
std::string ParseCopy(std::string_view stmt, CopyOptions* options) {
  size_t i = 4;
  while (i < stmt.size() && std::isspace(static_cast<unsigned char>(stmt[i]))) ++i;
  std::string query;
  std::string_view rest;
  if (i < stmt.size() && stmt[i] == '(') {
    size_t close = MatchingParen(stmt, i);
    if (close == std::string_view::npos) throw PgError(sqlstate::kSyntaxError, "syntax error in COPY: unbalanced parentheses");
    query = std::string(stmt.substr(i + 1, close - i - 1));
    rest = stmt.substr(close + 1);
  } else {
    // A table name (possibly qualified and quoted) and an optional column list, up to TO/FROM.
    std::vector<SqlToken> t = Tokenize(stmt.substr(i));
    size_t k = 0;
    std::string table, columns;
    std::string raw(stmt.substr(i));
    size_t paren = raw.find('(');
    size_t to = std::string::npos;
    for (const char* kw : {" to ", " TO ", " To ", " tO ", " from ", " FROM ", " From "}) {
      size_t p = raw.find(kw);
      if (p != std::string::npos && p < to) to = p;
    }
    if (to == std::string::npos) throw PgError(sqlstate::kSyntaxError, "syntax error in COPY: expected TO STDOUT");
    if (paren != std::string::npos && paren < to) {
      size_t close = MatchingParen(raw, paren);
      if (close == std::string::npos || close > to) throw PgError(sqlstate::kSyntaxError, "syntax error in COPY column list");
      table = raw.substr(0, paren);
      columns = raw.substr(paren + 1, close - paren - 1);
    } else {
      table = raw.substr(0, to);
    }
    (void)k;
    (void)t;
    query = "SELECT " + (columns.empty() ? std::string("*") : columns) + " FROM " + table;
    rest = stmt.substr(i + to);
  }
  std::vector<SqlToken> t = Tokenize(rest);
  if (t.size() >= 1 && t[0].text == "from") {
    throw PgError(sqlstate::kReadOnlyTransaction, "cannot execute COPY FROM in a read-only transaction",
                  Severity::kError, {}, "the lake is read-only through the SQL endpoint");
  }
  if (t.size() < 2 || t[0].text != "to" || (t[1].text != "stdout")) {
    throw PgError(sqlstate::kInsufficientPrivilege, "COPY to a file is not allowed; use COPY … TO STDOUT",
                  Severity::kError, {}, "the SQL endpoint never writes files; export with `cdmlake export`");
  }
  *options = ParseCopyOptions(t, 2);
  return query;
}

// The DuckDB type a parameter of a PostgreSQL type is read as; text for unknown types. numeric stays text: DuckDB's
// DECIMAL needs a scale that an untyped numeric parameter does not have.
std::string DuckDbTypeForOid(int32_t oid) {
  switch (oid) {
    case pgoid::kBool: return "BOOLEAN";
    case pgoid::kBytea: return "BLOB";
    case pgoid::kInt8: return "BIGINT";
    case pgoid::kInt2: return "SMALLINT";
    case pgoid::kInt4: return "INTEGER";
    case pgoid::kOid: return "UINTEGER";
    case pgoid::kFloat4: return "FLOAT";
    case pgoid::kFloat8: return "DOUBLE";
    case pgoid::kDate: return "DATE";
    case pgoid::kTime: return "TIME";
    case pgoid::kTimestamp: return "TIMESTAMP";
    case pgoid::kTimestamptz: return "TIMESTAMPTZ";
    case pgoid::kInterval: return "INTERVAL";
    case pgoid::kUuid: return "UUID";
    case pgoid::kJson:
    case pgoid::kJsonb: return "JSON";
    default: return "VARCHAR";
  }
}

}  // namespace

PreparedQuery::~PreparedQuery() {
  if (statement_) duckdb_destroy_prepare(&statement_);
  for (duckdb_logical_type& type : column_types_) duckdb_destroy_logical_type(&type);
}

std::shared_ptr<PreparedQuery> PreparedQuery::Prepare(duckdb_connection connection, const std::string& sql,
                                                      std::vector<int32_t> parameter_oids,
                                                      const QueryRewriter& rewrite) {
  std::shared_ptr<PreparedQuery> q(new PreparedQuery());
  q->sql_ = sql;
  q->parameter_oids_ = std::move(parameter_oids);
  std::vector<std::string_view> statements = SplitStatements(sql);
  if (statements.empty()) return q;
  if (statements.size() > 1) {
    throw PgError(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  }
  std::string_view stmt = statements[0];
  if (std::optional<SessionCommand> command = ParseSessionCommand(stmt)) {
    q->kind_ = kCommand;
    q->command_ = std::move(command);
    return q;
  }
  if (std::optional<CursorDeclaration> declaration = ParseDeclareCursor(stmt)) {
    q->kind_ = kDeclare;
    std::string inner(declaration->query);
    q->cursor_ = std::move(*declaration);
    q->cursor_.query = {};
    q->PrepareDuckDb(connection, rewrite ? rewrite(inner) : inner);
    q->column_names_ = PgColumnNamesFor(connection, inner, q->column_names_);
    return q;
  }
  if (StartsWithWord(stmt, "copy")) {
    q->kind_ = kCopyOut;
    std::string inner = ParseCopy(stmt, &q->copy_);
    q->PrepareDuckDb(connection, rewrite ? rewrite(inner) : inner);
    q->column_names_ = PgColumnNamesFor(connection, inner, q->column_names_);
    return q;
  }
  q->kind_ = kQuery;
  std::string text(stmt);
  q->PrepareDuckDb(connection, rewrite ? rewrite(text) : text);
  // Named from the client's text, not the rewritten one: a catalog rewrite may turn an operator into a function
  // (~ into regexp_matches) whose name PostgreSQL would not give. Text DuckDB cannot parse keeps DuckDB's names.
  q->column_names_ = PgColumnNamesFor(connection, text, q->column_names_);
  return q;
}

void PreparedQuery::PrepareDuckDb(duckdb_connection connection, const std::string& sql, bool retyped) {
  if (duckdb_prepare(connection, sql.c_str(), &statement_) == DuckDBError) {
    ThrowDuckDb(duckdb_prepare_error(statement_));
  }
  duckdb_statement_type type = duckdb_prepared_statement_type(statement_);
  if (type == DUCKDB_STATEMENT_TYPE_EXPLAIN) verb_ = "EXPLAIN";
  if (type != DUCKDB_STATEMENT_TYPE_SELECT && type != DUCKDB_STATEMENT_TYPE_EXPLAIN) {
    std::string first(sql.substr(0, sql.find_first_of(" \t\r\n(")));
    for (char& c : first) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    throw PgError(sqlstate::kReadOnlyTransaction, "cannot execute " + first + " in a read-only transaction",
                  Severity::kError, {}, "the lake is read-only through the SQL endpoint; views are defined with `cdmlake sql`");
  }
  if (kind_ == kCopyOut && type != DUCKDB_STATEMENT_TYPE_SELECT) {
    throw PgError(sqlstate::kFeatureNotSupported, "COPY supports a query or a table only");
  }
  idx_t nparams = duckdb_nparams(statement_);
  bool unresolved = false;
  for (idx_t i = 0; i < nparams; ++i) unresolved |= duckdb_param_type(statement_, i + 1) == DUCKDB_TYPE_INVALID;
  if (unresolved && !retyped) {
    // DuckDB cannot type a parameter whose context says nothing (SELECT $1): it would describe the result as one
    // column of unknown type. PostgreSQL takes the type Parse gave, or text; say so in the SQL and prepare again.
    std::string typed = ReplaceParameters(sql, [this](int n) {
      int32_t oid = n >= 1 && static_cast<size_t>(n) <= parameter_oids_.size() ? parameter_oids_[n - 1] : 0;
      return "CAST($" + std::to_string(n) + " AS " + DuckDbTypeForOid(oid) + ")";
    });
    duckdb_prepared_statement untyped = statement_;
    statement_ = nullptr;
    try {
      PrepareDuckDb(connection, typed, true);
      duckdb_destroy_prepare(&untyped);
      return;
    } catch (const PgError&) {
      // The cast does not fit where the parameter stands (range($1) has no VARCHAR form): keep DuckDB's own
      // statement, whose parameter is then typed at Bind.
      if (statement_) duckdb_destroy_prepare(&statement_);
      for (duckdb_logical_type& column : column_types_) duckdb_destroy_logical_type(&column);
      column_types_.clear();
      column_names_.clear();
      statement_ = untyped;
    }
  }
  for (idx_t i = parameter_oids_.size(); i < nparams; ++i) {
    parameter_oids_.push_back(ParameterTypeOid(duckdb_param_type(statement_, i + 1)));
  }
  for (size_t i = 0; i < parameter_oids_.size() && i < nparams; ++i) {
    if (parameter_oids_[i] == 0) parameter_oids_[i] = ParameterTypeOid(duckdb_param_type(statement_, i + 1));
  }
  idx_t columns = duckdb_prepared_statement_column_count(statement_);
  for (idx_t i = 0; i < columns; ++i) {
    // The C API hands over a copy of the name, which the caller frees.
    const char* name = duckdb_prepared_statement_column_name(statement_, i);
    column_names_.push_back(name ? name : "?column?");
    if (name) duckdb_free(const_cast<char*>(name));
    column_types_.push_back(duckdb_prepared_statement_column_logical_type(statement_, i));
  }
}

void WriteRowDescription(MessageWriter& out, const std::vector<std::string>& names,
                         const std::vector<duckdb_logical_type>& types, const std::vector<int16_t>& formats,
                         const TextSettings& settings) {
  (void)settings;
  if (formats.size() > 1 && formats.size() != types.size()) {
    throw PgError(sqlstate::kProtocolViolation, "bind message has " + std::to_string(formats.size()) +
                  " result formats but query has " + std::to_string(types.size()) + " columns");
  }
  out.Begin('T').Int16(static_cast<int16_t>(types.size()));
  for (size_t i = 0; i < types.size(); ++i) {
    PgType type = PgTypeOf(types[i]);
    int16_t format = formats.empty() ? 0 : formats.size() == 1 ? formats[0] : formats[i];
    if (format == 1 && !ColumnEncoder::SupportsBinary(type)) format = 0;
    out.CString(names[i]).Int32(0).Int16(0).Int32(type.oid).Int16(type.typlen).Int32(type.typmod).Int16(format);
  }
  out.End();
}

// ---- Portal ----

Portal::Portal(std::shared_ptr<PreparedQuery> query, std::vector<duckdb_value> parameters,
               std::vector<int16_t> formats)
    : query_(std::move(query)), parameters_(std::move(parameters)), formats_(std::move(formats)) {}

Portal::~Portal() {
  for (duckdb_logical_type& type : result_types_) duckdb_destroy_logical_type(&type);
  if (chunk_) duckdb_destroy_data_chunk(&chunk_);
  for (duckdb_data_chunk& c : buffered_) duckdb_destroy_data_chunk(&c);
  if (result_open_) duckdb_destroy_result(&result_);
  for (duckdb_value& v : parameters_) {
    if (v) duckdb_destroy_value(&v);
  }
}

void Portal::Start(duckdb_connection connection, const TextSettings& settings, bool copy_binary) {
  (void)connection;
  duckdb_prepared_statement stmt = query_->statement();
  duckdb_clear_bindings(stmt);
  for (size_t i = 0; i < parameters_.size(); ++i) {
    duckdb_state state = parameters_[i] ? duckdb_bind_value(stmt, i + 1, parameters_[i]) : duckdb_bind_null(stmt, i + 1);
    if (state == DuckDBError) {
      throw PgError(sqlstate::kInvalidTextRepresentation, "could not bind parameter $" + std::to_string(i + 1));
    }
  }
  duckdb_pending_result pending = nullptr;
  if (duckdb_pending_prepared_streaming(stmt, &pending) == DuckDBError) {
    std::string message = duckdb_pending_error(pending) ? duckdb_pending_error(pending) : "cannot start the statement";
    duckdb_destroy_pending(&pending);
    ThrowDuckDb(message.c_str());
  }
  while (true) {
    duckdb_pending_state ps = duckdb_pending_execute_task(pending);
    if (ps == DUCKDB_PENDING_RESULT_READY) break;
    if (ps == DUCKDB_PENDING_ERROR) {
      std::string message = duckdb_pending_error(pending) ? duckdb_pending_error(pending) : "query failed";
      duckdb_destroy_pending(&pending);
      ThrowDuckDb(message.c_str());
    }
  }
  duckdb_state state = duckdb_execute_pending(pending, &result_);
  duckdb_destroy_pending(&pending);
  if (state == DuckDBError) {
    duckdb_error_type type = duckdb_result_error_type(&result_);
    std::string message = duckdb_result_error(&result_) ? duckdb_result_error(&result_) : "query failed";
    duckdb_destroy_result(&result_);
    throw ToPgError(engine::EngineError(type, message));
  }
  result_open_ = true;
  idx_t columns = duckdb_column_count(&result_);
  for (idx_t i = 0; i < columns; ++i) result_types_.push_back(duckdb_column_logical_type(&result_, i));
  CheckResultTypes();
  MakeEncoders(settings, copy_binary);
}

void Portal::CheckResultTypes() const {
  if (query_->column_count() != result_types_.size()) return;  // SHOW and friends describe their own columns
  for (size_t i = 0; i < result_types_.size(); ++i) {
    duckdb_type prepared = duckdb_get_type_id(query_->column_type(i));
    // Types DuckDB settles only at Bind (an untyped parameter in the select list) are not a change.
    if (prepared == DUCKDB_TYPE_INVALID || prepared == DUCKDB_TYPE_ANY || prepared == DUCKDB_TYPE_SQLNULL) continue;
    if (PgTypeOf(query_->column_type(i)).oid != PgTypeOf(result_types_[i]).oid) {
      throw PgError(sqlstate::kFeatureNotSupported, "cached plan must not change result type");
    }
  }
}

void Portal::MakeEncoders(const TextSettings& settings, bool copy_binary) {
  size_t columns = result_types_.size();
  if (formats_.size() > 1 && formats_.size() != columns) {
    throw PgError(sqlstate::kProtocolViolation, "bind message has " + std::to_string(formats_.size()) +
                  " result formats but query has " + std::to_string(columns) + " columns");
  }
  encoders_.clear();
  for (size_t i = 0; i < columns; ++i) {
    bool binary = copy_binary || (formats_.empty() ? false : formats_.size() == 1 ? formats_[0] == 1 : formats_[i] == 1);
    encoders_.emplace_back(result_types_[i], binary, settings);
  }
  formats_changed_ = false;
}

void Portal::set_formats(std::vector<int16_t> formats) {
  if (formats == formats_) return;
  formats_ = std::move(formats);
  formats_changed_ = true;
}

duckdb_data_chunk Portal::NextChunk() {
  while (true) {
    duckdb_data_chunk chunk = nullptr;
    if (materialized_) {
      if (buffered_.empty()) return nullptr;
      chunk = buffered_.front();
      buffered_.pop_front();
    } else {
      chunk = duckdb_fetch_chunk(result_);
      if (!chunk) {
        const char* error = duckdb_result_error(&result_);
        if (error) throw ToPgError(engine::EngineError(duckdb_result_error_type(&result_), error));
        return nullptr;
      }
    }
    if (duckdb_data_chunk_get_size(chunk) > 0) return chunk;
    duckdb_destroy_data_chunk(&chunk);
  }
}

bool Portal::Execute(duckdb_connection connection, MessageWriter& out, int64_t max_rows,
                     const TextSettings& settings, int64_t* rows, bool send) {
  *rows = 0;
  if (finished_) return false;
  if (!result_open_ && !materialized_) Start(connection, settings, false);
  else if (formats_changed_) MakeEncoders(settings, false);
  std::vector<duckdb_vector> vectors;
  while (max_rows <= 0 || *rows < max_rows) {
    if (!chunk_ || chunk_row_ >= duckdb_data_chunk_get_size(chunk_)) {
      if (chunk_) duckdb_destroy_data_chunk(&chunk_);
      chunk_ = NextChunk();
      chunk_row_ = 0;
      if (!chunk_) {
        finished_ = true;
        break;
      }
    }
    idx_t size = duckdb_data_chunk_get_size(chunk_);
    vectors.clear();
    for (size_t c = 0; c < encoders_.size(); ++c) vectors.push_back(duckdb_data_chunk_get_vector(chunk_, c));
    if (!send) {
      idx_t skip = max_rows <= 0 ? size - chunk_row_
                                 : std::min<idx_t>(size - chunk_row_, static_cast<idx_t>(max_rows - *rows));
      chunk_row_ += skip;
      *rows += static_cast<int64_t>(skip);
      continue;
    }
    for (; chunk_row_ < size && (max_rows <= 0 || *rows < max_rows); ++chunk_row_) {
      out.Begin('D').Int16(static_cast<int16_t>(encoders_.size()));
      for (size_t c = 0; c < encoders_.size(); ++c) encoders_[c].Append(vectors[c], chunk_row_, out.buffer());
      out.End();
      out.MaybeFlush();
      ++*rows;
    }
  }
  if (finished_ && result_open_) {
    duckdb_destroy_result(&result_);
    result_open_ = false;
  }
  return !finished_;
}

namespace {

void AppendCopyText(std::string* line, std::string_view value, char delimiter) {
  for (char c : value) {
    switch (c) {
      case '\\': line->append("\\\\"); break;
      case '\n': line->append("\\n"); break;
      case '\r': line->append("\\r"); break;
      case '\t': line->append("\\t"); break;
      default:
        if (c == delimiter) line->push_back('\\');
        line->push_back(c);
    }
  }
}

void AppendCopyCsv(std::string* line, std::string_view value, const CopyOptions& o) {
  bool quote = value.empty() || value == o.null_text ||
               value.find_first_of(std::string{o.delimiter, o.quote, '\n', '\r'}) != std::string_view::npos;
  if (!quote) {
    line->append(value);
    return;
  }
  line->push_back(o.quote);
  for (char c : value) {
    if (c == o.quote) line->push_back(o.quote);
    line->push_back(c);
  }
  line->push_back(o.quote);
}

}  // namespace

int64_t Portal::ExecuteCopy(duckdb_connection connection, MessageWriter& out, const TextSettings& settings) {
  const CopyOptions& o = query_->copy();
  bool binary = o.format == CopyOptions::kBinary;
  Start(connection, settings, binary);
  int16_t columns = static_cast<int16_t>(encoders_.size());
  out.Begin('H').Byte(binary ? 1 : 0).Int16(columns);
  for (int16_t i = 0; i < columns; ++i) out.Int16(binary ? 1 : 0);
  out.End();
  std::string line;
  if (binary) {
    line.assign("PGCOPY\n\xff\r\n\0", 11);
    AppendInt32(&line, 0);
    AppendInt32(&line, 0);
  } else if (o.header && o.format == CopyOptions::kCsv) {
    for (int16_t i = 0; i < columns; ++i) {
      if (i > 0) line.push_back(o.delimiter);
      AppendCopyCsv(&line, static_cast<size_t>(columns) == query_->column_count()
                               ? query_->column_name(static_cast<size_t>(i))
                               : std::string(duckdb_column_name(&result_, static_cast<idx_t>(i))), o);
    }
    line.push_back('\n');
  }
  if (!line.empty()) out.Begin('d').Bytes(line).End();
  int64_t rows = 0;
  std::vector<duckdb_vector> vectors;
  while (duckdb_data_chunk chunk = NextChunk()) {
    idx_t size = duckdb_data_chunk_get_size(chunk);
    vectors.clear();
    for (int16_t c = 0; c < columns; ++c) vectors.push_back(duckdb_data_chunk_get_vector(chunk, static_cast<idx_t>(c)));
    for (idx_t r = 0; r < size; ++r) {
      line.clear();
      if (binary) {
        AppendInt16(&line, columns);
        for (int16_t c = 0; c < columns; ++c) encoders_[c].Append(vectors[c], r, &line);
      } else {
        for (int16_t c = 0; c < columns; ++c) {
          if (c > 0) line.push_back(o.delimiter);
          std::optional<std::string> value = encoders_[c].Encode(vectors[c], r);
          if (!value) line.append(o.null_text);
          else if (o.format == CopyOptions::kCsv) AppendCopyCsv(&line, *value, o);
          else AppendCopyText(&line, *value, o.delimiter);
        }
        line.push_back('\n');
      }
      out.Begin('d').Bytes(line).End();
      out.MaybeFlush();
      ++rows;
    }
    duckdb_destroy_data_chunk(&chunk);
  }
  if (binary) {
    line.clear();
    AppendInt16(&line, -1);
    out.Begin('d').Bytes(line).End();
  }
  out.Begin('c').End();
  duckdb_destroy_result(&result_);
  result_open_ = false;
  finished_ = true;
  return rows;
}

void Portal::Materialize() {
  if (!result_open_ || materialized_) return;
  while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result_)) buffered_.push_back(chunk);
  const char* error = duckdb_result_error(&result_);
  std::string message = error ? error : "";
  duckdb_error_type type = duckdb_result_error_type(&result_);
  duckdb_destroy_result(&result_);
  result_open_ = false;
  materialized_ = true;
  if (!message.empty()) {
    finished_ = true;
    throw ToPgError(engine::EngineError(type, message));
  }
}

}  // namespace cdmlake::server
