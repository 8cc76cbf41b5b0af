#include "unify/source_data.h"

#include <memory>
#include <mutex>
#include <unordered_map>

#include "duckdb.h"

#include "engine/quote.h"
#include "lake/csv_error.h"
#include "lake/csv_text_reader.h"
#include "lake/discovery.h"
#include "lake/entity_files.h"
#include "lake/entity_sql.h"
#include "lake/session.h"
#include "unify/csv_header.h"
#include "unify/flat_index.h"
#include "unify/row_function.h"
#include "util/path.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/strings.h"

namespace cdmlake::unify {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

constexpr size_t kExamples = 5;

bool HasTimeOfDay(const std::string& format) {
  for (const char* part : {"%H", "%I", "%M", "%S", "%f", "%p", "%T", "%R"}) {
    if (format.find(part) != std::string::npos) return true;
  }
  return false;
}

// The column read as text, parsed by its format.
std::string ParsedExpr(const ColumnRead& column) {
  std::string text = "CAST(" + QuoteIdentifier(column.name) + " AS VARCHAR)";
  if (column.format.empty()) return text;
  if (column.format == "number") {
    // One text per number, so that 10, 10.0 and 1e1 in two sources compare equal; whole numbers without ".0", as
    // the source most likely wrote them (DuckDB prints the DOUBLE 10 as 10.0).
    const std::string number = "TRY_CAST(" + text + " AS DOUBLE)";
    return "CASE WHEN " + number + " = trunc(" + number + ") AND abs(" + number + ") < 1e15 THEN CAST(CAST(" +
           number + " AS BIGINT) AS VARCHAR) ELSE CAST(" + number + " AS VARCHAR) END";
  }
  std::string parsed = "try_strptime(trim(" + text + "), " + QuoteLiteral(column.format) + ")";
  if (!HasTimeOfDay(column.format)) parsed = "CAST(" + parsed + " AS DATE)";
  return "CAST(" + parsed + " AS VARCHAR)";
}

// True when a value was given but its format could not read it.
std::string UnparsedExpr(const ColumnRead& column) {
  std::string text = "CAST(" + QuoteIdentifier(column.name) + " AS VARCHAR)";
  return "(" + text + " IS NOT NULL AND trim(" + text + ") <> '' AND " + ParsedExpr(column) + " IS NULL)";
}

std::string SelectList(const std::vector<ColumnRead>& columns) {
  std::vector<std::string> parts;
  for (const auto& c : columns) parts.push_back(ParsedExpr(c));
  for (const auto& c : columns) {
    if (!c.format.empty()) parts.push_back(UnparsedExpr(c));
  }
  return Join(parts, ", ");
}

// Nothing shows the progress of these reads, and DuckDB tracks it (locks, per-pipeline sums) whenever the progress
// bar is on, which the engine turns on for every connection.
void QuietProgress(engine::Connection& connection) {
  duckdb_result result;
  duckdb_query(connection.raw(), "SET enable_progress_bar = false", &result);  // fails harmlessly when locked
  duckdb_destroy_result(&result);
}

// Runs `sql` and reads its text columns straight from DuckDB's vectors (the engine's Chunk gives each value as a
// std::string of its own; a million-row source has ten million of them).
LoadedTable Fetch(engine::Connection& connection, const std::string& sql, const std::string& name,
                  const std::vector<ColumnRead>& columns) {
  QuietProgress(connection);
  LoadedTable table;
  table.name = name;
  table.values.resize(columns.size());
  table.unparsed.assign(columns.size(), 0);
  table.first_unparsed.assign(columns.size(), 0);
  for (const auto& c : columns) table.columns.push_back(c.name);
  std::vector<size_t> flag_of;  // result column of each formatted column's flag
  size_t next_flag = columns.size();
  for (const auto& c : columns) flag_of.push_back(c.format.empty() ? 0 : next_flag++);

  // Materialized, then copied into the packed columns: DuckDB then scans on all its threads, while a streamed
  // result is mostly made by the thread fetching it (a streamed load of 1 M records took 20 % longer and more CPU,
  // locking per chunk; the materialized copy adds about 150 MB to the peak for a moment).
  struct Statement {
    duckdb_prepared_statement statement = nullptr;
    duckdb_pending_result pending = nullptr;
    duckdb_result result{};
    bool executed = false;
    ~Statement() {
      if (executed) duckdb_destroy_result(&result);
      if (pending) duckdb_destroy_pending(&pending);
      duckdb_destroy_prepare(&statement);
    }
  } q;
  // Prepare and pending errors carry no type in the C API: it is read from the message's "<Type> Error:" prefix.
  auto fail = [](const char* message) {
    const std::string text = message ? message : "query failed";
    throw engine::EngineError(engine::ErrorTypeFromMessage(text), text);
  };
  if (duckdb_prepare(connection.raw(), sql.c_str(), &q.statement) == DuckDBError) {
    fail(duckdb_prepare_error(q.statement));
  }
  if (duckdb_pending_prepared(q.statement, &q.pending) == DuckDBError) {
    fail(duckdb_pending_error(q.pending));
  }
  const bool failed = duckdb_execute_pending(q.pending, &q.result) == DuckDBError;
  q.executed = true;
  auto check = [&q] {
    if (const char* message = duckdb_result_error(&q.result)) {
      throw engine::EngineError(duckdb_result_error_type(&q.result), message);
    }
  };
  if (failed) {
    check();
    throw engine::EngineError(DUCKDB_ERROR_INVALID, "query failed");
  }
  duckdb_result& result = q.result;
  while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result)) {
    struct ChunkGuard {
      duckdb_data_chunk chunk;
      ~ChunkGuard() { duckdb_destroy_data_chunk(&chunk); }
    } chunk_guard{chunk};
    const idx_t size = duckdb_data_chunk_get_size(chunk);
    for (size_t c = 0; c < columns.size(); ++c) {
      duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, c);
      auto* data = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vector));
      uint64_t* validity = duckdb_vector_get_validity(vector);
      const bool* flags = nullptr;
      uint64_t* flag_validity = nullptr;
      if (!columns[c].format.empty()) {
        duckdb_vector flag = duckdb_data_chunk_get_vector(chunk, flag_of[c]);
        flags = static_cast<const bool*>(duckdb_vector_get_data(flag));
        flag_validity = duckdb_vector_get_validity(flag);
      }
      TextColumn& out = table.values[c];
      for (idx_t row = 0; row < size; ++row) {
        if (!duckdb_validity_row_is_valid(validity, row)) {
          out.AppendNull();
        } else {
          out.Append(std::string_view(duckdb_string_t_data(&data[row]), duckdb_string_t_length(data[row])));
        }
        if (flags && duckdb_validity_row_is_valid(flag_validity, row) && flags[row] && ++table.unparsed[c] == 1) {
          table.first_unparsed[c] = static_cast<int64_t>(out.size());  // out holds this row now: 1-based
        }
      }
    }
  }
  // A result ends early (no chunk) when the scan fails on the way, e.g. on a malformed CSV row: checked again.
  check();
  return table;
}

}  // namespace

int ProfileTable::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (EqualsIgnoreCase(columns[i], column)) return static_cast<int>(i);
  }
  return -1;
}

SourceReader::SourceReader(engine::Database& database, const lake::Catalog* catalog)
    : database_(database), catalog_(catalog), connection_(database) {}

SourceReader::~SourceReader() = default;

LoadedTable SourceReader::Read(const std::string& name, const std::string& table, const std::string& csv_path,
                               const std::vector<ColumnRead>& columns) {
  if (!csv_path.empty()) {
    // The dialect and the columns are fixed (RFC 4180 with a header row, docs/unify.md "Sources"): left to
    // DuckDB's sniffer, a file with one bad row may be read as another dialect (the whole row one field, the
    // quotes kept) or fail with a guess about options cdmlake does not offer, where the row should be named.
    std::vector<std::string> header;
    try {
      header = ReadCsvHeader(DefaultFileSystem(), csv_path);
    } catch (const Error& e) {
      const Location& at = e.location();
      throw Error(e.kind(), "cannot read source " + name + ": " + e.message(),
                  Location{at.file.empty() ? csv_path : at.file, at.line, name}, e.hint());
    }
    std::vector<std::string> types;
    for (const std::string& column : header) types.push_back(QuoteLiteral(column) + ": 'VARCHAR'");
    std::string sql = "SELECT " + SelectList(columns) + " FROM read_csv(" + engine::QuoteFilePath(csv_path) +
                      ", header = true, auto_detect = false, columns = {" + Join(types, ", ") +
                      "}, delim = ',', quote = '\"', escape = '\"', strict_mode = true)";
    try {
      return Fetch(connection_, sql, name, columns);
    } catch (const engine::EngineError& e) {
      if (std::optional<lake::CsvErrorDetail> row = lake::ParseCsvError(e.message())) {
        throw Error(ErrorKind::kData,
                    "cannot read source " + name + ": " + row->reason +
                        (row->original.empty() ? "" : "\n  row: " + row->original),
                    Location{csv_path, row->line, name},
                    "fix the row (a CSV source is comma-separated with '\"' quotes, RFC 4180); unification reads "
                    "every row of a source, so one that cannot be read stops the run");
      }
      throw Error(ErrorKind::kIo, "cannot read source " + name + ": " + e.message(), Location{csv_path, 0, name},
                  "check that the file exists, is a CSV file with a header row, and has the configured columns");
    }
  }
  if (!catalog_) {
    throw Error(ErrorKind::kUser, "source " + name + " reads the lake table " + table + ", but no lake is open",
                Location{"", 0, name}, "run with --lake LAKE");
  }
  if (std::optional<LoadedTable> own = ReadOwnCsv(name, table, columns)) return std::move(*own);
  if (std::string scan = DirectScan(table, columns); !scan.empty()) {
    try {
      return Fetch(connection_, "SELECT " + SelectList(columns) + " FROM (" + scan + ")", name, columns);
    } catch (const engine::EngineError&) {
      // Read again through the session below, whose errors name the file and line.
    }
  }
  // Sources are read side by side (unify_run.cc), and a session creates the lake's schemas and views in the
  // database's catalog: two doing so at once fail with a write-write conflict, so that part takes turns.
  static std::mutex creating_views;
  std::unique_lock views_lock(creating_views);
  lake::LakeSession session(database_, *catalog_, lake::OnError::kFail);
  std::string sql = "SELECT " + SelectList(columns) + " FROM " + QuoteIdentifier(table);
  try {
    session.PrepareFor(sql);
    views_lock.unlock();
    return Fetch(session.connection(), sql, name, columns);
  } catch (const engine::EngineError& e) {
    Error explained = session.Explain(e);
    // The session's hint for a bad row offers `--on-error quarantine`, which the SQL commands have; unification
    // reads a source whole or not at all.
    const std::string hint = explained.kind() == ErrorKind::kData && explained.location().line > 0
                                 ? "fix the row: unification reads every row of a source, so one that cannot be "
                                   "read stops the run (the previous outputs stay as they were)"
                                 : explained.hint();
    throw Error(explained.kind() == ErrorKind::kInternal ? ErrorKind::kIo : explained.kind(),
                "cannot read source " + name + " (lake table " + table + "): " + explained.message(),
                explained.location().empty() ? Location{"", 0, name} : explained.location(), hint);
  }
}

std::optional<cdm::Entity> SourceReader::TextEntity(const std::string& table, const std::vector<ColumnRead>& columns,
                                                    bool* changed) const {
  const cdm::Entity* entity = catalog_->Find(table);
  if (!entity) return std::nullopt;
  cdm::Entity text = *entity;
  *changed = false;
  for (cdm::Attribute& a : text.attributes) {
    if (a.format != cdm::DataFormat::kDecimal) continue;
    for (const ColumnRead& c : columns) {
      if (c.as_written && EqualsIgnoreCase(c.name, a.name)) {
        a.format = cdm::DataFormat::kString;
        *changed = true;
      }
    }
  }
  return text;
}

bool SourceReader::HasRefreshState(const cdm::Entity& entity) const {
  const std::string state = JoinPath(JoinPath(catalog_->lake_root(), lake::RefreshStateFolder(entity.schema, entity.name)),
                                     "state.json");
  return catalog_->fs().Stat(state).has_value();
}

std::string SourceReader::DirectScan(const std::string& table, const std::vector<ColumnRead>& columns) {
  bool changed = false;
  std::optional<cdm::Entity> text = TextEntity(table, columns, &changed);
  if (!text || !changed || HasRefreshState(*text)) return "";
  std::vector<cdm::Partition> partitions = lake::PrepareEntityFiles(*catalog_, *text);
  for (const cdm::Partition& p : partitions) {
    if (p.format != cdm::FileFormat::kCsv) return "";
  }
  return lake::BuildEntityScan(*text, partitions, catalog_->lake_root(), {}).sql;
}

std::optional<LoadedTable> SourceReader::ReadOwnCsv(const std::string& name, const std::string& table,
                                                    const std::vector<ColumnRead>& columns) {
  bool changed = false;
  std::optional<cdm::Entity> entity = TextEntity(table, columns, &changed);
  if (!entity || HasRefreshState(*entity)) return std::nullopt;
  std::vector<cdm::Partition> partitions;
  try {
    partitions = lake::PrepareEntityFiles(*catalog_, *entity);
  } catch (const Error&) {
    return std::nullopt;  // the session's read reports it, in its words
  }
  std::vector<std::string> names;
  for (const ColumnRead& c : columns) names.push_back(c.name);
  std::optional<std::vector<TextColumn>> read =
      lake::ReadCsvAsText(catalog_->fs(), *entity, partitions, catalog_->lake_root(), names, nullptr);
  if (!read) return std::nullopt;
  LoadedTable table_read;
  table_read.name = name;
  table_read.columns = names;
  table_read.values = std::move(*read);
  table_read.unparsed.assign(columns.size(), 0);
  table_read.first_unparsed.assign(columns.size(), 0);

  // Formatted columns are parsed by DuckDB, with the very expressions of a DuckDB read, over the text in memory.
  // Only each distinct value is parsed: dates repeat (a million birth dates hold some 30,000 days), and parsing
  // every row through DuckDB took as long as reading the file.
  bool any_formatted = false;
  for (const ColumnRead& c : columns) any_formatted = any_formatted || !c.format.empty();
  if (!any_formatted) return table_read;
  class TextRows : public lake::RowSource {
   public:
    explicit TextRows(const TextColumn& column) : column_(column) {}
    size_t size() const override { return column_.size(); }
    void Row(size_t row, lake::RowCells* cells) override { cells->Set(0, column_.Get(row)); }

   private:
    const TextColumn& column_;
  };
  std::vector<std::unique_ptr<TextColumn>> distincts;  // outlives `rows`, which views them
  // Registering a table function writes DuckDB's catalog, which the readers running beside this one may be
  // doing too: one at a time.
  static std::mutex registering;
  std::unique_lock registering_lock(registering);
  RowFunction rows(connection_);
  registering_lock.unlock();
  constexpr uint32_t kNull = UINT32_MAX;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].format.empty()) continue;
    const TextColumn& raw = table_read.values[c];
    TextColumn& distinct = *distincts.emplace_back(std::make_unique<TextColumn>());
    std::vector<uint32_t> id_of(raw.size(), kNull);
    {
      std::unordered_map<std::string_view, uint32_t> ids;
      for (size_t r = 0; r < raw.size(); ++r) {
        if (raw.IsNull(r)) continue;
        auto [it, added] = ids.try_emplace(raw.View(r), static_cast<uint32_t>(distinct.size()));
        if (added) distinct.Append(raw.View(r));
        id_of[r] = it->second;
      }
    }
    const std::string text_rows =
        rows.Add("formatted_" + std::to_string(c), {columns[c].name}, std::make_unique<TextRows>(distinct));
    std::vector<std::vector<std::optional<std::string>>> parsed;
    try {
      parsed = connection_.Query("SELECT " + ParsedExpr(columns[c]) + ", " + UnparsedExpr(columns[c]) + " FROM (" +
                                 text_rows + ")").FetchAllText();
    } catch (const engine::EngineError&) {
      return std::nullopt;  // a format DuckDB refuses: the read through DuckDB reports it, naming the source
    }
    if (parsed.size() != distinct.size()) {
      throw Error(ErrorKind::kInternal, "source " + name + ": parsing column " + columns[c].name + " gave " +
                                            std::to_string(parsed.size()) + " values for " +
                                            std::to_string(distinct.size()));
    }
    TextColumn out;
    out.Reserve(raw.size(), raw.bytes() + raw.size() * 2);
    for (size_t r = 0; r < raw.size(); ++r) {
      if (id_of[r] == kNull) {
        out.AppendNull();
        continue;
      }
      const std::optional<std::string>& value = parsed[id_of[r]][0];
      const std::optional<std::string>& unparsed = parsed[id_of[r]][1];
      out.Append(value ? TextView(*value) : TextView());
      if (unparsed && *unparsed == "true" && ++table_read.unparsed[c] == 1) {
        table_read.first_unparsed[c] = static_cast<int64_t>(r) + 1;
      }
    }
    table_read.values[c] = std::move(out);
  }
  return table_read;
}

std::string UnfitValues(int64_t values, const std::string& format) {
  const bool one = values == 1;
  return std::to_string(values) + (one ? " value does not fit" : " values do not fit") + " the format '" + format +
         "' and " + (one ? "counts" : "count") + " as empty";
}

ProfileTable LoadProfileTable(SourceReader& reader, const Source& source) {
  std::vector<ColumnRead> reads = {{source.primary_key.name, ""}};
  for (const auto& c : source.columns) {
    if (!EqualsIgnoreCase(c.name, source.primary_key.name)) reads.push_back({c.name, c.format});
  }
  LoadedTable loaded = reader.Read(source.name, source.table, source.csv_path, reads);

  ProfileTable table;
  table.name = source.name;
  table.key_column = source.primary_key.name;
  for (size_t c = 1; c < reads.size(); ++c) table.columns.push_back(reads[c].name);
  table.values.resize(table.columns.size());
  table.rows_read = static_cast<int64_t>(loaded.rows());
  // Duplicate keys are found with the keys' hashes, computed on all threads first; rows are then checked in order
  // (the first row of a key wins), the index slot of each fetched some rows ahead.
  const TextColumn& keys = loaded.values[0];
  const size_t n = loaded.rows();
  if (n >= FlatIndex::kNone) {
    throw Error(ErrorKind::kUser, "source " + source.name + " has more than 4 billion rows",
                Location{"", 0, source.name}, "split the source");
  }
  std::vector<uint64_t> hashes(n);
  constexpr uint64_t kNoKey = 0;  // a real key whose hash is 0 is only slower: it is checked like the others
  ParallelFor(n, 16384, [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const bool blank = keys.IsNull(row) || Trim(keys.View(row)).empty();
      hashes[row] = blank ? kNoKey : std::hash<std::string_view>{}(keys.View(row));
    }
  });
  FlatIndex first_row(n);  // positions: rows
  std::vector<uint32_t> kept;
  kept.reserve(n);
  constexpr size_t kPrefetch = 16;
  for (size_t row = 0; row < n; ++row) {
    if (row + kPrefetch < n) first_row.Prefetch(hashes[row + kPrefetch]);
    const int64_t data_row = static_cast<int64_t>(row) + 1;
    if (hashes[row] == kNoKey && (keys.IsNull(row) || Trim(keys.View(row)).empty())) {
      QuarantinedRow q{data_row, "the primary key " + source.primary_key.name + " is empty", {}};
      for (const auto& column : loaded.values) q.values.push_back(column.Value(row));
      table.quarantined.push_back(std::move(q));
      continue;
    }
    const std::string_view key = keys.View(row);
    const uint32_t first = first_row.FindOrInsert(hashes[row], static_cast<uint32_t>(row),
                                                  [&](uint32_t other) { return keys.View(other) == key; });
    if (first != row) {
      ++table.duplicate_keys;
      if (table.duplicate_examples.size() < kExamples) {
        table.duplicate_examples.push_back(std::string(key) + " (data rows " + std::to_string(first + 1) + " and " +
                                           std::to_string(data_row) + ")");
      }
      continue;
    }
    kept.push_back(static_cast<uint32_t>(row));
  }
  std::vector<uint64_t>().swap(hashes);
  // Without dropped rows (the usual case) the loaded columns are the profile table's; else the kept rows are
  // copied, column by column on all threads.
  const bool all_kept = kept.size() == loaded.rows();
  table.rows.reserve(kept.size());
  for (uint32_t row : kept) table.rows.push_back(static_cast<int64_t>(row) + 1);
  RunTasks(reads.size(), [&](size_t c) {
    TextColumn& column = c == 0 ? table.keys : table.values[c - 1];
    if (all_kept) {
      column = std::move(loaded.values[c]);
      return;
    }
    const TextColumn& from = loaded.values[c];
    column.Reserve(kept.size(), from.bytes());
    for (uint32_t row : kept) column.Append(from.Get(row));
    loaded.values[c] = TextColumn();  // freed as soon as copied
  });
  for (size_t c = 1; c < reads.size(); ++c) {
    if (loaded.unparsed[c] > 0) {
      table.unparsed.push_back({reads[c].name, reads[c].format, loaded.unparsed[c], loaded.first_unparsed[c]});
    }
  }
  return table;
}

}  // namespace cdmlake::unify
