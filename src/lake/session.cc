#include "lake/session.h"

#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "cdm/partition_listing.h"
#include "engine/quote.h"
#include "lake/csv_error.h"
#include "lake/csv_probe.h"
#include "lake/entity_files.h"
#include "lake/discovery.h"
#include "lake/entity_sql.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;
using engine::QuoteQualified;

const char* const kCorruptSuffix = "_Corrupt";

// The first error problem about an entity: its own document's problems first (a malformed entity document has
// no entity name on its problem), then the ones naming the entity.
const cdm::Problem* FirstError(const Catalog& catalog, const cdm::Entity& entity, std::vector<cdm::Problem>* keep) {
  *keep = catalog.problems();
  for (const auto& p : *keep) {
    if (p.severity == cdm::Severity::kError && !entity.document.empty() && p.file == entity.document) return &p;
  }
  for (const auto& p : *keep) {
    if (p.severity == cdm::Severity::kError && p.entity == entity.name && p.file == entity.manifest) return &p;
  }
  for (const auto& p : *keep) {
    if (p.severity == cdm::Severity::kError && EqualsIgnoreCase(p.entity, entity.name)) return &p;
  }
  return nullptr;
}

constexpr const char* kDeferredMarker = "cdmlake-deferred-error-";

}  // namespace

std::set<std::string> SqlIdentifiers(std::string_view sql) {
  std::set<std::string> out;
  size_t i = 0;
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || (c & 0x80); };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'') {  // string literal; '' is an escaped quote
      for (++i; i < sql.size(); ++i) {
        if (sql[i] == '\'' && (i + 1 >= sql.size() || sql[i + 1] != '\'')) break;
        if (sql[i] == '\'') ++i;
      }
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '"') {
      std::string name;
      for (++i; i < sql.size(); ++i) {
        if (sql[i] == '"') {
          if (i + 1 < sql.size() && sql[i + 1] == '"') {
            name += '"';
            ++i;
            continue;
          }
          break;
        }
        name += sql[i];
      }
      ++i;
      out.insert(ToLower(name));
    } else if (is_word(c)) {
      size_t start = i;
      while (i < sql.size() && is_word(sql[i])) ++i;
      out.insert(ToLower(sql.substr(start, i - start)));
    } else {
      ++i;
    }
  }
  return out;
}

LakeSession::LakeSession(engine::Database& database, const Catalog& catalog, OnError on_error)
    : connection_(database), catalog_(catalog), on_error_(on_error) {}

void LakeSession::PrepareFor(std::string_view sql) {
  std::set<std::string> names = SqlIdentifiers(sql);
  for (const cdm::Entity* entity : catalog_.entities()) {
    std::string name = ToLower(entity->name);
    if (names.count(name) || names.count(name + ToLower(kCorruptSuffix))) AttachOrDefer(*entity);
  }
}

void LakeSession::AttachOrDefer(const cdm::Entity& entity) {
  try {
    Attach(entity);
  } catch (const Error& error) {
    // The name may be a column, or the same name in another schema: fail only if the table is really read.
    size_t id = deferred_.size();
    deferred_.push_back(error);
    std::string columns;
    for (const cdm::Attribute& a : entity.attributes) {
      columns += (columns.empty() ? "" : ", ") + std::string("CAST(NULL AS ") + a.SqlType() + ") AS " + QuoteIdentifier(a.name);
    }
    if (columns.empty()) columns = "NULL AS unreadable";
    std::string body = " AS SELECT " + columns + " FROM range(1) WHERE error(" +
                       QuoteLiteral(kDeferredMarker + std::to_string(id)) + ") IS NULL";
    if (schemas_.insert(ToLower(entity.schema)).second) {
      connection_.Execute("CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(entity.schema));
    }
    connection_.Execute("CREATE OR REPLACE VIEW " + QuoteQualified(entity.schema, entity.name) + body);
    if (catalog_.IsUnqualifiedName(entity)) {
      connection_.Execute("CREATE OR REPLACE VIEW main." + QuoteIdentifier(entity.name) + body);
    }
  }
}

std::vector<cdm::Problem> LakeSession::AttachAll() {
  std::vector<cdm::Problem> problems;
  for (const cdm::Entity* entity : catalog_.entities()) {
    if (!entity->readable) continue;
    try {
      Attach(*entity);
    } catch (const Error& e) {
      problems.push_back(cdm::Problem{cdm::Severity::kError, e.location().file, e.location().line, entity->name,
                                      e.message()});
    }
  }
  return problems;
}

std::string LakeSession::CurrentStateFile(const cdm::Entity& entity) const {
  std::string dir = JoinPath(catalog_.lake_root(), RefreshStateFolder(entity.schema, entity.name));
  std::string state_path = JoinPath(dir, "state.json");
  if (!catalog_.fs().Stat(state_path)) return "";
  std::string table;
  try {
    nlohmann::json state = nlohmann::json::parse(catalog_.fs().ReadFile(state_path));
    table = state.at("table").get<std::string>();
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kData, std::string("the refresh state cannot be read: ") + e.what(), Location{state_path, 0, entity.name},
                "run `cdmlake lake refresh` again, or remove the folder to read the raw files");
  }
  if (table.empty() || table.find('/') != std::string::npos || !catalog_.fs().Stat(JoinPath(dir, table))) {
    throw Error(ErrorKind::kData, "the refresh state names the missing table file '" + table + "'",
                Location{state_path, 0, entity.name}, "run `cdmlake lake refresh` again");
  }
  return JoinPath(dir, table);
}

bool LakeSession::IsEntityView(const std::string& schema, const std::string& name) const {
  std::string base = name;
  if (base.size() > std::string_view(kCorruptSuffix).size() &&
      base.compare(base.size() - std::string_view(kCorruptSuffix).size(), std::string::npos, kCorruptSuffix) == 0) {
    base.resize(base.size() - std::string_view(kCorruptSuffix).size());
  }
  if (catalog_.Find(schema, base) != nullptr) return true;
  return ToLower(schema) == "main" && catalog_.Find(base) != nullptr;
}

std::string LakeSession::QuarantineFile(const cdm::Entity& entity) const {
  return std::string(kStateFolder) + "/quarantine/" + SafeFileName(entity.schema) + "/" +
         SafeFileName(entity.name + kCorruptSuffix) + ".csv";
}

void LakeSession::Attach(const cdm::Entity& entity) {
  if (attached_.count(&entity)) return;
  const bool unique = catalog_.IsUnqualifiedName(entity);
  if (!entity.readable) {
    std::vector<cdm::Problem> all;
    const cdm::Problem* p = FirstError(catalog_, entity, &all);
    throw Error(ErrorKind::kData, "entity " + entity.schema + "." + entity.name + " cannot be read: " +
                                      (p ? p->message : "its metadata has errors"),
                Location{p ? p->file : entity.manifest, p ? p->line : 0, entity.name},
                "run `cdmlake lake inspect` to see every problem in the lake");
  }
  std::vector<EntityFile> files;
  std::vector<cdm::Partition> partitions = PrepareEntityFiles(catalog_, entity, &files);
  for (const EntityFile& f : files) entity_of_file_[f.absolute] = entity.schema + "." + entity.name;
  if (schemas_.insert(ToLower(entity.schema)).second) {
    connection_.Execute("CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(entity.schema));
  }
  ScanOptions options;
  options.quarantine = on_error_ == OnError::kQuarantine;
  options.rejects_prefix = "__cdmlake_rejects_" + std::to_string(next_id_++);
  EntityScan scan = BuildEntityScan(entity, partitions, catalog_.lake_root(), options);
  std::string view = QuoteQualified(entity.schema, entity.name);
  if (std::string current = CurrentStateFile(entity); !current.empty()) {
    // `cdmlake lake refresh` keeps the current state of incrementally fed tables; it replaces the raw files.
    connection_.Execute("CREATE OR REPLACE VIEW " + view + " AS SELECT * FROM read_parquet(" + engine::QuoteFilePath(current) + ")");
  } else if (options.quarantine) {
    Quarantine(entity, partitions, scan.sql, scan.csv_reads);
  } else {
    connection_.Execute("CREATE OR REPLACE VIEW " + view + " AS " + scan.sql);
    AttachPreviousQuarantine(entity);
  }
  if (unique) {
    connection_.Execute("CREATE OR REPLACE VIEW main." + QuoteIdentifier(entity.name) + " AS SELECT * FROM " + view);
  }
  attached_.insert(&entity);
}

void LakeSession::Quarantine(const cdm::Entity& entity, const std::vector<cdm::Partition>& partitions,
                             const std::string& scan_sql, int csv_reads) {
  const std::string id = std::to_string(next_id_ - 1);
  const std::string prefix = "__cdmlake_rejects_" + id;
  const std::string data = QuoteIdentifier("__cdmlake_data_" + id);
  const std::string view = QuoteQualified(entity.schema, entity.name);
  const std::string corrupt_name = entity.name + kCorruptSuffix;
  // Read every column of every row once: conversion errors only surface for columns that are read.
  connection_.Execute("CREATE TEMP TABLE " + data + " AS " + scan_sql);
  connection_.Execute("CREATE OR REPLACE VIEW " + view + " AS SELECT * FROM temp." + data);
  std::string root_prefix = catalog_.lake_root() + "/";
  std::string rejects;
  for (int n = 0; n < csv_reads; ++n) {
    if (n > 0) rejects += " UNION ALL ";
    std::string errors = QuoteIdentifier(prefix + "_errors_" + std::to_string(n));
    std::string scans = QuoteIdentifier(prefix + "_scans_" + std::to_string(n));
    rejects += "SELECT CASE WHEN starts_with(s.file_path, " + QuoteLiteral(root_prefix) + ") THEN substr(s.file_path, " +
               std::to_string(root_prefix.size() + 1) + ") ELSE s.file_path END AS file, e.line::BIGINT AS record, "
               "e.column_name AS column_name, e.error_type::VARCHAR AS error_type, e.error_message AS reason, "
               "e.csv_line AS original_line FROM temp." + errors + " e JOIN temp." + scans +
               " s ON e.scan_id = s.scan_id AND e.file_id = s.file_id";
  }
  if (rejects.empty()) {
    rejects = "SELECT NULL::VARCHAR AS file, NULL::BIGINT AS record, NULL::VARCHAR AS column_name, "
              "NULL::VARCHAR AS error_type, NULL::VARCHAR AS reason, NULL::VARCHAR AS original_line WHERE false";
  }
  const std::string corrupt = QuoteQualified(entity.schema, corrupt_name);
  const std::string rejected = QuoteIdentifier("__cdmlake_rejected_" + id);
  connection_.Execute("CREATE OR REPLACE TEMP TABLE " + rejected + " AS " + rejects);
  // DuckDB counts records; people look for lines. Map each rejected record to the line it starts on, reading
  // each file with rejects once.
  const std::string lines = QuoteIdentifier("__cdmlake_lines_" + id);
  connection_.Execute("CREATE OR REPLACE TEMP TABLE " + lines + " (file VARCHAR, record BIGINT, line BIGINT)");
  {
    std::map<std::string, std::vector<int64_t>> records;
    auto rows = connection_.Query("SELECT DISTINCT file, record FROM " + rejected + " ORDER BY file, record").FetchAllText();
    for (const auto& row : rows) {
      int64_t record = 0;
      if (row[0] && row[1] && ParseInt64(*row[1], &record)) records[*row[0]].push_back(record);
    }
    engine::Appender appender = connection_.CreateAppender("main", "__cdmlake_lines_" + id, "temp");
    for (const auto& [file, list] : records) {
      cdm::CsvFormat csv;
      for (const cdm::Partition& p : partitions) {
        if (p.location == file) csv = p.csv;
      }
      std::vector<int64_t> physical(list.size(), 0);
      try {
        physical = PhysicalLinesOfRecordsInText(catalog_.fs().ReadFile(JoinPath(catalog_.lake_root(), file)), csv, list);
      } catch (const Error&) {
        // The line stays unknown (0); the record number is still there.
      }
      for (size_t i = 0; i < list.size(); ++i) {
        appender.Append(std::string_view(file)).Append(list[i]).Append(physical[i]);
        appender.EndRow();
      }
    }
    appender.Close();
  }
  connection_.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier("__cdmlake_corrupt_" + id) +
                      " AS SELECT r.file, l.line, r.record, r.column_name, r.error_type, r.reason, r.original_line FROM " +
                      rejected + " r LEFT JOIN " + lines + " l ON l.file = r.file AND l.record = r.record" +
                      " ORDER BY r.file, r.record, r.column_name");
  connection_.Execute("CREATE OR REPLACE VIEW " + corrupt + " AS SELECT * FROM temp." +
                      QuoteIdentifier("__cdmlake_corrupt_" + id));
  if (catalog_.IsUnqualifiedName(entity)) {
    connection_.Execute("CREATE OR REPLACE VIEW main." + QuoteIdentifier(corrupt_name) + " AS SELECT * FROM " + corrupt);
  }
  QuarantineReport report{entity.schema, entity.name, 0, 0, corrupt_name, ""};
  report.rows_read = std::stoll(connection_.Query("SELECT count(*) FROM temp." + data).ScalarText());
  report.rows_quarantined =
      std::stoll(connection_.Query("SELECT count(DISTINCT (file, record)) FROM " + corrupt).ScalarText());
  // Keep a copy in the lake so the rows are not lost when this command ends; the previous copy is replaced.
  std::string relative = QuarantineFile(entity);
  std::string absolute = JoinPath(catalog_.lake_root(), relative);
  if (report.rows_quarantined > 0) {
    catalog_.fs().CreateDirectories(DirName(absolute));
    std::string temp = absolute + ".tmp";
    connection_.Execute("COPY (SELECT * FROM " + corrupt + ") TO " + QuoteLiteral(temp) + " (FORMAT csv, HEADER true)");
    catalog_.fs().Rename(temp, absolute);
    report.file = relative;
  } else {
    catalog_.fs().RemoveFile(absolute);
  }
  reports_.push_back(report);
}

void LakeSession::AttachPreviousQuarantine(const cdm::Entity& entity) {
  std::string absolute = JoinPath(catalog_.lake_root(), QuarantineFile(entity));
  if (!catalog_.fs().Stat(absolute)) return;
  std::string corrupt_name = entity.name + kCorruptSuffix;
  std::string corrupt = QuoteQualified(entity.schema, corrupt_name);
  connection_.Execute("CREATE OR REPLACE VIEW " + corrupt + " AS SELECT * FROM read_csv(" + engine::QuoteFilePath(absolute) +
                      ", header = true, columns = {'file': 'VARCHAR', 'line': 'BIGINT', 'record': 'BIGINT', 'column_name': 'VARCHAR', "
                      "'error_type': 'VARCHAR', 'reason': 'VARCHAR', 'original_line': 'VARCHAR'}, auto_detect = false, "
                      "delim = ',', quote = '\"', escape = '\"')");
  if (catalog_.IsUnqualifiedName(entity)) {
    connection_.Execute("CREATE OR REPLACE VIEW main." + QuoteIdentifier(corrupt_name) + " AS SELECT * FROM " + corrupt);
  }
}

Error LakeSession::Explain(const engine::EngineError& error) const {
  const std::string& message = error.message();
  if (size_t marker = message.find(kDeferredMarker); marker != std::string::npos) {
    int64_t id = -1;
    std::string digits;
    for (size_t i = marker + std::strlen(kDeferredMarker); i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])); ++i) {
      digits += message[i];
    }
    if (ParseInt64(digits, &id) && id >= 0 && static_cast<size_t>(id) < deferred_.size()) return deferred_[id];
  }
  std::optional<CsvErrorDetail> detail = ParseCsvError(message);
  if (!detail) return Error(error.kind(), message);
  int64_t line = detail->line;
  const std::string& file = detail->file;
  std::string reason = detail->reason;
  const std::string& original = detail->original;
  std::string entity;
  if (auto it = entity_of_file_.find(file); it != entity_of_file_.end()) entity = it->second;
  std::string relative = IsWithin(catalog_.lake_root(), file) ? RelativePath(catalog_.lake_root(), file) : file;
  // DuckDB counts records; a person looks for the physical line.
  int64_t physical = 0;
  if (line > 0 && IsWithin(catalog_.lake_root(), file)) {
    try {
      const cdm::Entity* e = nullptr;
      if (size_t dot = entity.find('.'); dot != std::string::npos) e = catalog_.Find(entity.substr(0, dot), entity.substr(dot + 1));
      cdm::CsvFormat csv;
      if (e && !e->partitions.empty()) csv = e->partitions.front().csv;
      physical = PhysicalLineOfRecord(catalog_.fs(), file, csv, line);
    } catch (const Error&) {
      physical = 0;
    }
  }
  if (physical > 0 && physical != line) reason += " (record " + std::to_string(line) + ")";
  if (physical > 0) line = physical;
  return Error(ErrorKind::kData, reason + (original.empty() ? "" : "\n  row: " + original),
               Location{relative, line, entity},
               "fix the row, or rerun with --on-error quarantine to move unreadable rows to " +
                   (entity.empty() ? std::string("<Entity>") : entity.substr(entity.find('.') + 1)) + "_Corrupt");
}

}  // namespace cdmlake::lake
