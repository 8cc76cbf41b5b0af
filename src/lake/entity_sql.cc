#include "lake/entity_sql.h"

#include <algorithm>

#include "engine/quote.h"
#include "util/path.h"

namespace cdmlake::lake {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

// The projection of one column, with F&O's empty-date sentinel turned into NULL where it applies.
std::string ColumnExpression(const cdm::Entity& entity, const cdm::Attribute& a) {
  std::string column = QuoteIdentifier(a.name);
  if (entity.d365_empty_dates) {
    const char* sentinel = nullptr;
    switch (a.format) {
      case cdm::DataFormat::kDate: sentinel = "DATE '1900-01-01'"; break;
      case cdm::DataFormat::kDateTime: sentinel = "TIMESTAMP '1900-01-01 00:00:00'"; break;
      case cdm::DataFormat::kDateTimeOffset: sentinel = "TIMESTAMPTZ '1900-01-01 00:00:00+00'"; break;
      default: break;
    }
    if (sentinel) return "CASE WHEN " + column + " = " + sentinel + " THEN NULL ELSE " + column + " END AS " + column;
  }
  return column;
}

// The select list for files with `width` fields: the entity's leading columns, NULL for the ones the files
// were written without.
std::string SelectList(const cdm::Entity& entity, size_t width) {
  std::string out;
  for (size_t i = 0; i < entity.attributes.size(); ++i) {
    if (i > 0) out += ", ";
    const cdm::Attribute& a = entity.attributes[i];
    out += i < width ? ColumnExpression(entity, a) : "CAST(NULL AS " + a.SqlType() + ") AS " + QuoteIdentifier(a.name);
  }
  return out;
}

std::string CsvRead(const cdm::Entity& entity, size_t width, const std::vector<std::string>& files,
                    const cdm::CsvFormat& csv, const ScanOptions& options, int read_index) {
  std::string columns = "{";
  for (size_t i = 0; i < width; ++i) {
    if (i > 0) columns += ", ";
    columns += QuoteLiteral(entity.attributes[i].name) + ": " + QuoteLiteral(entity.attributes[i].SqlType());
  }
  columns += "}";
  std::string sql = "read_csv(" + engine::QuoteFilePathList(files) + ", columns = " + columns +
                    ", header = " + (csv.header ? "true" : "false") + ", auto_detect = false" +
                    ", delim = " + QuoteLiteral(csv.delimiter) + ", quote = " + QuoteLiteral(csv.quote) +
                    ", escape = " + QuoteLiteral(csv.escape) + ", allow_quoted_nulls = false" +
                    ", strict_mode = true";
  if (csv.skip_lines > 0) sql += ", skip = " + std::to_string(csv.skip_lines);
  if (csv.encoding != "UTF-8") sql += ", encoding = " + QuoteLiteral(csv.encoding);
  // Records ending with LF are said explicitly (DuckDB guesses from the first line break, which may be a CRLF
  // inside a quoted value). Files with CRLF are left to DuckDB's detection: its explicit '\r\n' mode misreads a
  // CRLF inside quotes (DuckDB 1.4.4).
  if (csv.newline == "\n" || csv.newline == "\\n") sql += ", new_line = '\\n'";
  if (options.quarantine) {
    std::string n = std::to_string(read_index);
    sql += ", ignore_errors = true, store_rejects = true, rejects_table = " +
           QuoteLiteral(options.rejects_prefix + "_errors_" + n) +
           ", rejects_scan = " + QuoteLiteral(options.rejects_prefix + "_scans_" + n);
  }
  return sql + ")";
}

std::string ParquetRead(const cdm::Entity& entity, const std::vector<std::string>& files) {
  // Parquet carries its own types: cast to the entity's, by name, so the table looks the same as from CSV.
  std::string select;
  for (size_t i = 0; i < entity.attributes.size(); ++i) {
    const cdm::Attribute& a = entity.attributes[i];
    if (i > 0) select += ", ";
    select += "CAST(" + QuoteIdentifier(a.name) + " AS " + a.SqlType() + ") AS " + QuoteIdentifier(a.name);
  }
  return "(SELECT " + select + " FROM read_parquet(" + engine::QuoteFilePathList(files) + ", union_by_name = true))";
}

}  // namespace

EntityScan BuildEntityScan(const cdm::Entity& entity, const std::vector<cdm::Partition>& partitions,
                           const std::string& lake_root, const ScanOptions& options) {
  EntityScan scan;
  // Group files that are read with the same settings, keeping the partitions' order.
  struct Group {
    cdm::FileFormat format;
    cdm::CsvFormat csv;
    size_t width;
    std::vector<std::string> files;
  };
  std::vector<Group> groups;
  const size_t full = entity.attributes.size();
  for (const cdm::Partition& p : partitions) {
    std::string file = JoinPath(lake_root, p.location);
    // Narrower files are read with their own columns; wider ones with all, so the reader reports the extra field.
    size_t width = p.format == cdm::FileFormat::kCsv && p.columns > 0 && static_cast<size_t>(p.columns) < full
                       ? static_cast<size_t>(p.columns)
                       : full;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.format == p.format && g.width == width && (p.format == cdm::FileFormat::kParquet || g.csv == p.csv);
    });
    if (it == groups.end()) {
      groups.push_back(Group{p.format, p.csv, width, {file}});
    } else {
      it->files.push_back(file);
    }
  }
  if (groups.empty()) {
    // An entity without data (metadata-only lakes): an empty table with the right columns.
    std::string cols;
    for (size_t i = 0; i < entity.attributes.size(); ++i) {
      const cdm::Attribute& a = entity.attributes[i];
      if (i > 0) cols += ", ";
      cols += "CAST(NULL AS " + a.SqlType() + ") AS " + QuoteIdentifier(a.name);
    }
    scan.sql = "SELECT " + cols + " WHERE false";
    return scan;
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    if (g > 0) scan.sql += "\nUNION ALL\n";
    const Group& group = groups[g];
    std::string source = group.format == cdm::FileFormat::kCsv
                             ? CsvRead(entity, group.width, group.files, group.csv, options, scan.csv_reads++)
                             : ParquetRead(entity, group.files);
    scan.sql += "SELECT " + SelectList(entity, group.width) + " FROM " + source;
  }
  return scan;
}

}  // namespace cdmlake::lake
