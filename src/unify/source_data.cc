#include "unify/source_data.h"

#include <unordered_map>

#include "engine/quote.h"
#include "lake/session.h"
#include "util/error.h"
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
  if (column.format == "number") return "CAST(TRY_CAST(" + text + " AS DOUBLE) AS VARCHAR)";
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

LoadedTable Fetch(engine::Connection& connection, const std::string& sql, const std::string& name,
                  const std::vector<ColumnRead>& columns) {
  LoadedTable table;
  table.name = name;
  table.values.resize(columns.size());
  table.unparsed.assign(columns.size(), 0);
  for (const auto& c : columns) table.columns.push_back(c.name);
  std::vector<size_t> flag_of;  // result column of each formatted column's flag
  size_t next_flag = columns.size();
  for (const auto& c : columns) flag_of.push_back(c.format.empty() ? 0 : next_flag++);
  engine::Result result = connection.Query(sql);
  engine::Chunk chunk;
  while (result.Next(&chunk)) {
    for (size_t c = 0; c < columns.size(); ++c) {
      Column& out = table.values[c];
      for (idx_t row = 0; row < chunk.size(); ++row) {
        if (chunk.IsNull(c, row)) {
          out.emplace_back();
        } else {
          out.emplace_back(chunk.GetString(c, row));
        }
        if (!columns[c].format.empty() && !chunk.IsNull(flag_of[c], row) && chunk.GetBool(flag_of[c], row)) {
          ++table.unparsed[c];
        }
      }
    }
  }
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
    std::string sql = "SELECT " + SelectList(columns) + " FROM read_csv(" + engine::QuoteFilePath(csv_path) +
                      ", header = true, all_varchar = true)";
    try {
      return Fetch(connection_, sql, name, columns);
    } catch (const engine::EngineError& e) {
      throw Error(ErrorKind::kIo, "cannot read source " + name + ": " + e.message(), Location{csv_path, 0, name},
                  "check that the file exists, is a CSV file with a header row, and has the configured columns");
    }
  }
  if (!catalog_) {
    throw Error(ErrorKind::kUser, "source " + name + " reads the lake table " + table + ", but no lake is open",
                Location{"", 0, name}, "run with --lake LAKE");
  }
  lake::LakeSession session(database_, *catalog_, lake::OnError::kFail);
  std::string sql = "SELECT " + SelectList(columns) + " FROM " + QuoteIdentifier(table);
  try {
    session.PrepareFor(sql);
    return Fetch(session.connection(), sql, name, columns);
  } catch (const engine::EngineError& e) {
    Error explained = session.Explain(e);
    throw Error(explained.kind() == ErrorKind::kInternal ? ErrorKind::kIo : explained.kind(),
                "cannot read source " + name + " (lake table " + table + "): " + explained.message(),
                explained.location().empty() ? Location{"", 0, name} : explained.location(), explained.hint());
  }
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
  std::unordered_map<std::string, int64_t> first_row;  // key -> its first data row
  for (size_t row = 0; row < loaded.rows(); ++row) {
    const int64_t data_row = static_cast<int64_t>(row) + 1;
    const std::optional<std::string>& key = loaded.values[0][row];
    if (!key || Trim(*key).empty()) {
      QuarantinedRow q{data_row, "the primary key " + source.primary_key.name + " is empty", {}};
      for (const auto& column : loaded.values) q.values.push_back(column[row]);
      table.quarantined.push_back(std::move(q));
      continue;
    }
    auto [it, inserted] = first_row.emplace(*key, data_row);
    if (!inserted) {
      ++table.duplicate_keys;
      if (table.duplicate_examples.size() < kExamples) {
        table.duplicate_examples.push_back(*key + " (rows " + std::to_string(it->second) + " and " +
                                           std::to_string(data_row) + ")");
      }
      continue;
    }
    table.keys.push_back(*key);
    table.rows.push_back(data_row);
    for (size_t c = 1; c < reads.size(); ++c) table.values[c - 1].push_back(loaded.values[c][row]);
  }
  for (size_t c = 1; c < reads.size(); ++c) {
    if (loaded.unparsed[c] > 0) table.unparsed.emplace_back(reads[c].name, loaded.unparsed[c]);
  }
  return table;
}

}  // namespace cdmlake::unify
