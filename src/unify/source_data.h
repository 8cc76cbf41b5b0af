// Reading the records of unification sources and activities into memory: a profile table as its primary keys
// plus its mapped columns as text, column by column (docs/unify.md, "Sources").
//
// Values are read as text: a lake table in plain CDM CSV by cdmlake's own reader (lake/csv_text_reader.h, the
// same text as DuckDB's scan), anything else through DuckDB (read_csv for CSV files with a header, the lake session
// for other catalog tables). A column with a format is parsed on the way: a strptime pattern gives an ISO date
// ("1986-05-08") or timestamp, "number" a canonical number, so `5/8/1986` and `1986-05-08` compare equal; a value
// the format cannot read becomes null and is counted. Bad keys lose nothing silently: a row without a primary key is quarantined with
// its reason; a row whose key was seen before is reported and dropped (the first row wins, as in Customer Insights).
// A SourceReader is not thread-safe (one DuckDB connection), but several readers on one database may read at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"
#include "unify/config.h"
#include "util/text_column.h"

namespace cdmlake::unify {

// A column to read and how its text is parsed (ColumnMapping::format).
struct ColumnRead {
  std::string name;
  std::string format;
  // A decimal column of a lake table is read as the text the file holds, not as the text of its DECIMAL value,
  // when the caller casts it on anyway (an activity's amount): parsing and printing 128-bit decimals was most of
  // the time spent reading 1.66 M purchases. The digits may then differ in form ("5.5" for "5.50"), not in value.
  bool as_written = false;
};

// Rows of a table, column by column, in file order.
struct LoadedTable {
  std::string name;
  std::vector<std::string> columns;
  std::vector<TextColumn> values;      // values[c] holds column c of every row
  std::vector<int64_t> unparsed;       // per column: values the format could not read (now null)
  std::vector<int64_t> first_unparsed;  // per column: the 1-based data row of the first of them, 0 for none
  size_t rows() const { return values.empty() ? 0 : values[0].size(); }
};

// A row left out of unification, and why.
struct QuarantinedRow {
  int64_t row = 0;  // 1-based data row of the source (the header is not counted)
  std::string reason;
  std::vector<std::optional<std::string>> values;  // the row as read (key first, then the mapped columns)
};

// A profile source as unification sees it: unique non-null keys and the mapped columns.
struct ProfileTable {
  std::string name;
  std::string key_column;
  std::vector<std::string> columns;  // mapped columns, in configuration order (the key not among them)
  TextColumn keys;                   // per record (never null)
  std::vector<TextColumn> values;    // values[c][record]
  std::vector<int64_t> rows;         // per record: its 1-based data row in the source
  std::vector<QuarantinedRow> quarantined;  // null keys
  int64_t rows_read = 0;
  int64_t duplicate_keys = 0;                  // rows dropped because their key came earlier
  std::vector<std::string> duplicate_examples;  // "KEY (rows 3 and 7)", the first few
  struct Unparsed {
    std::string column;
    std::string format;
    int64_t values = 0;     // values the format could not read (now null)
    int64_t first_row = 0;  // the 1-based data row of the first of them
  };
  std::vector<Unparsed> unparsed;

  size_t size() const { return keys.size(); }
  // Index of a mapped column (case-insensitive), or -1.
  int ColumnIndex(std::string_view column) const;
  TextView Value(int column, size_t record) const { return values[column].Get(record); }
  std::string_view Key(size_t record) const { return keys.View(record); }
};

class SourceReader {
 public:
  // `catalog` may be null when every source is a CSV file.
  SourceReader(engine::Database& database, const lake::Catalog* catalog);
  ~SourceReader();

  // Throws Error(kIo) naming the file or table when it cannot be read, Error(kUser) for an unknown column.
  LoadedTable Read(const std::string& name, const std::string& table, const std::string& csv_path,
                   const std::vector<ColumnRead>& columns);

 private:
  // The scan of a lake table reading its as_written decimal columns as text, or "" when the session's view must
  // be used (no such column, a refresh state, Parquet files).
  std::string DirectScan(const std::string& table, const std::vector<ColumnRead>& columns);
  // A lake table read by cdmlake's own CSV reader (lake/csv_text_reader.h), the formatted columns then parsed
  // by DuckDB from memory; nullopt when the reader declines (the table is then read through DuckDB).
  std::optional<LoadedTable> ReadOwnCsv(const std::string& name, const std::string& table,
                                        const std::vector<ColumnRead>& columns);
  // The lake's entity `table` with the as_written decimal columns among `columns` typed as text, or nullopt for
  // no such entity. *changed tells whether any column was retyped.
  std::optional<cdm::Entity> TextEntity(const std::string& table, const std::vector<ColumnRead>& columns,
                                        bool* changed) const;
  // True when `lake refresh` keeps a current state for the entity, which replaces its files.
  bool HasRefreshState(const cdm::Entity& entity) const;

  engine::Database& database_;
  const lake::Catalog* catalog_;
  engine::Connection connection_;
};

// "1 value does not fit the format '%m/%d/%Y' and counts as empty" (or "13 values do not fit ..."): how the
// warnings of sources and activities say what LoadedTable::unparsed counted.
std::string UnfitValues(int64_t values, const std::string& format);

// Reads a source's key and mapped columns.
ProfileTable LoadProfileTable(SourceReader& reader, const Source& source);

}  // namespace cdmlake::unify
