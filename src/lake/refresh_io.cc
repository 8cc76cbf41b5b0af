#include "lake/refresh_io.h"

#include <optional>

#include "cdm/partition_listing.h"
#include "engine/quote.h"
#include "lake/csv_error.h"
#include "lake/csv_probe.h"
#include "lake/entity_files.h"
#include "lake/entity_sql.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

using engine::QuoteLiteral;

}  // namespace

std::string LakeRelative(const std::string& lake_root, const std::string& path) {
  return IsWithin(lake_root, path) ? RelativePath(lake_root, path) : path;
}

FileStamp StampFile(FileSystem& fs, const std::string& lake_root, const std::string& path) {
  auto info = fs.Stat(JoinPath(lake_root, path));
  if (!info || info->is_directory) {
    throw Error(ErrorKind::kData, "the file " + path + " disappeared while it was being read", Location{path});
  }
  return FileStamp{path, static_cast<int64_t>(info->size), info->mtime_ns, -1};
}

std::string ReadCsvSql(const std::vector<std::string>& files, const std::vector<CsvColumn>& columns,
                       const cdm::CsvFormat& csv, bool null_padding) {
  std::string list = "{";
  for (size_t i = 0; i < columns.size(); ++i) {
    list += (i > 0 ? ", " : "") + QuoteLiteral(columns[i].name) + ": " + QuoteLiteral(columns[i].type);
  }
  list += "}";
  std::string sql = "read_csv(" + engine::QuoteFilePathList(files) + ", columns = " + list +
                    ", header = " + (csv.header ? "true" : "false") + ", auto_detect = false" +
                    ", delim = " + QuoteLiteral(csv.delimiter) + ", quote = " + QuoteLiteral(csv.quote) +
                    ", escape = " + QuoteLiteral(csv.escape) + ", allow_quoted_nulls = false, strict_mode = true" +
                    ", filename = " + QuoteLiteral(kFileColumn);
  if (csv.skip_lines > 0) sql += ", skip = " + std::to_string(csv.skip_lines);
  if (csv.encoding != "UTF-8") sql += ", encoding = " + QuoteLiteral(csv.encoding);
  // As for entity views: say LF explicitly, leave CRLF files to DuckDB's detection (see entity_sql.cc).
  if (csv.newline == "\n" || csv.newline == "\\n") sql += ", new_line = '\\n'";
  if (null_padding) sql += ", null_padding = true, parallel = false";
  return sql + ")";
}

std::vector<SourceFile> ProbeSourceFiles(FileSystem& fs, const std::string& lake_root,
                                         const std::vector<std::pair<std::string, cdm::CsvFormat>>& files) {
  std::vector<SourceFile> out;
  for (const auto& [path, csv] : files) {
    SourceFile f{path, csv, -1};
    CsvShape shape = ProbeCsvFile(fs, JoinPath(lake_root, path), csv);
    f.width = shape.width;
    if (f.csv.newline.empty()) f.csv.newline = shape.newline;
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<SourceGroup> GroupSourceFiles(const std::vector<SourceFile>& files, const std::string& lake_root,
                                          bool by_width) {
  std::vector<SourceGroup> groups;
  for (const SourceFile& f : files) {
    int width = by_width ? f.width : -1;
    SourceGroup* group = nullptr;
    for (SourceGroup& g : groups) {
      if (g.csv == f.csv && g.width == width) group = &g;
    }
    if (!group) {
      groups.push_back(SourceGroup{f.csv, width, {}});
      group = &groups.back();
    }
    group->files.push_back(JoinPath(lake_root, f.path));
  }
  return groups;
}

std::string EntitySnapshotSql(const Catalog& catalog, const cdm::Entity& entity, std::vector<FileStamp>* stamps) {
  std::vector<EntityFile> files;
  std::vector<cdm::Partition> partitions = PrepareEntityFiles(catalog, entity, &files);
  for (size_t i = 0; i < partitions.size(); ++i) {
    stamps->push_back(FileStamp{partitions[i].location, static_cast<int64_t>(files[i].info.size), files[i].info.mtime_ns, -1});
  }
  return BuildEntityScan(entity, partitions, catalog.lake_root(), ScanOptions{}).sql;
}

void ForEachCsvRecord(std::string_view text, const cdm::CsvFormat& csv,
                      const std::function<bool(const std::vector<CsvField>& fields, int64_t line)>& visit) {
  size_t i = 0;
  int64_t line = 1;
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  for (int skipped = 0; skipped < csv.skip_lines && i < text.size(); ++skipped, ++line) {
    size_t nl = text.find('\n', i);
    i = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  const std::string delimiter = csv.delimiter.empty() ? std::string(",") : csv.delimiter;
  const char quote = csv.quote.empty() ? '\0' : csv.quote[0];
  const char escape = csv.escape.empty() ? quote : csv.escape[0];
  bool header = csv.header;
  std::vector<CsvField> fields;
  while (i < text.size()) {
    const int64_t start_line = line;
    fields.assign(1, CsvField{});
    bool in_quotes = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
      CsvField& field = fields.back();
      if (in_quotes) {
        if (c == escape && escape != quote && i + 1 < text.size()) {
          field.text += text[++i];
        } else if (c == quote) {
          if (i + 1 < text.size() && text[i + 1] == quote) {
            field.text += quote;
            ++i;
          } else {
            in_quotes = false;
          }
        } else {
          if (c == '\n') ++line;
          field.text += c;
        }
      } else if (quote != '\0' && c == quote) {
        in_quotes = true;
        field.quoted = true;
      } else if (text.compare(i, delimiter.size(), delimiter) == 0) {
        fields.push_back(CsvField{});
        i += delimiter.size() - 1;
      } else if (c == '\n') {
        ++i;
        ++line;
        break;
      } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        // The CR of a CRLF record end.
      } else {
        field.text += c;
      }
    }
    if (header) {
      header = false;
      continue;
    }
    if (!visit(fields, start_line)) return;
  }
}

int64_t FindRecordLine(FileSystem& fs, const std::string& path, const cdm::CsvFormat& csv,
                       const std::function<bool(const std::vector<CsvField>&)>& match, int64_t skip_records) {
  std::string text;
  try {
    text = fs.ReadFile(path);
  } catch (const Error&) {
    return 0;
  }
  int64_t found = 0;
  int64_t index = 0;
  ForEachCsvRecord(text, csv, [&](const std::vector<CsvField>& fields, int64_t line) {
    if (index++ < skip_records) return true;
    if (!match(fields)) return true;
    found = line;
    return false;
  });
  return found;
}

Error ExplainReadError(const engine::EngineError& error, FileSystem& fs, const std::string& lake_root,
                       const cdm::CsvFormat& csv, const std::string& entity, const std::string& what) {
  const std::string& message = error.message();
  std::optional<CsvErrorDetail> detail = ParseCsvError(message);
  if (!detail) return Error(error.kind(), what + ": " + message, Location{"", 0, entity});
  const int64_t record = detail->line;
  const std::string& file = detail->file;
  std::string reason = detail->reason;
  int64_t line = record;
  if (record > 0 && !file.empty() && IsWithin(lake_root, file)) {
    try {
      int64_t physical = PhysicalLineOfRecord(fs, file, csv, record);
      if (physical > 0 && physical != record) reason += " (record " + std::to_string(record) + ")";
      if (physical > 0) line = physical;
    } catch (const Error&) {
      // The record number stays.
    }
  }
  const std::string& original = detail->original;
  return Error(ErrorKind::kData, what + ": " + reason + (original.empty() ? "" : "\n  row: " + original),
               Location{LakeRelative(lake_root, file), line, entity},
               "fix or remove the row; the table keeps its previous state until the refresh succeeds");
}

void ExecuteReading(engine::Connection& connection, const std::string& sql, FileSystem& fs,
                    const std::string& lake_root, const cdm::CsvFormat& csv, const std::string& entity,
                    const std::string& what) {
  try {
    connection.Execute(sql);
  } catch (const engine::EngineError& e) {
    throw ExplainReadError(e, fs, lake_root, csv, entity, what);
  }
}

}  // namespace cdmlake::lake
