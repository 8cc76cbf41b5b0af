// Synapse Link for Dataverse with incremental update folders.
//
// Beside the root model.json (the latest schema of every table) are timestamp folders yyyy-MM-ddTHH.mm.ssZ
// (colons accepted too), each with its own model.json and <table>/*.csv: headerless, append-only rows whose
// columns are that folder's schema (Id, SinkCreatedOn, SinkModifiedOn, the table's columns, versionnumber,
// createdon, modifiedon, IsDelete, then the columns added later). A row may be narrower than its folder's schema,
// down to IsDelete. Changelog/changelog.info names the folder being written: it and every folder sorting after it
// are skipped. A finalized folder without model.json is an error.
//
// Per Id the row with the highest (versionnumber, SinkModifiedOn) wins, SinkModifiedOn being US-culture text
// ("2/3/2025 9:52:15 AM"); IsDelete=True deletes. Deleted Ids are kept as tombstones with their version, so a
// stale row arriving later (also a stale delete) never wins over a newer one. Because versions decide, reading a
// file again is harmless: an incremental refresh reads the files that are new or grew.
#include <algorithm>
#include <map>
#include <regex>

#include "cdm/model_json_reader.h"
#include "engine/quote.h"
#include "lake/refresh_source.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

constexpr const char* kVer = "__cdmlake_ver";
constexpr const char* kSmod = "__cdmlake_smod";
constexpr const char* kDel = "__cdmlake_del";
constexpr const char* kFolder = "__cdmlake_folder";
constexpr const char* kSrc = "__cdmlake_src";

// The sort key of a timestamp folder name ("2024-06-15T14.30.00Z", also with colons or a fraction):
// "2024-06-15T14.30.00.0000000"; "" for any other name.
std::string FolderKey(const std::string& name) {
  static const std::regex kPattern(R"(^(\d{4}-\d{2}-\d{2})[Tt](\d{2})[.:](\d{2})[.:](\d{2})(?:[.:](\d{1,7}))?[Zz]$)");
  std::smatch m;
  if (!std::regex_match(name, m, kPattern)) return "";
  std::string fraction = m[5].matched ? m[5].str() : "";
  fraction.resize(7, '0');
  return m[1].str() + "T" + m[2].str() + "." + m[3].str() + "." + m[4].str() + "." + fraction;
}

bool IsSinkTime(std::string_view name) {
  return EqualsIgnoreCase(name, "SinkCreatedOn") || EqualsIgnoreCase(name, "SinkModifiedOn");
}

// A Sink* text ("2/3/2025 9:52:15 AM", or ISO 8601) as a TIMESTAMP; NULL when empty or unparseable.
std::string SinkTimeSql(const std::string& raw) {
  std::string t = "trim(" + raw + ")";
  return "CASE WHEN " + raw + " IS NULL OR " + t + " = '' THEN NULL ELSE coalesce(try_strptime(" + t +
         ", '%m/%d/%Y %I:%M:%S %p'), TRY_CAST(" + t + " AS TIMESTAMP)) END";
}

struct Folder {
  std::string name;  // as on disk
  std::string key;
};

// The timestamp folders of a Synapse Link root folder (absolute), sorted by time.
std::vector<Folder> TimestampFolders(FileSystem& fs, const std::string& root) {
  std::vector<Folder> out;
  for (const FileInfo& f : fs.ListDirectory(root)) {
    if (!f.is_directory) continue;
    std::string key = FolderKey(f.name);
    if (!key.empty()) out.push_back(Folder{f.name, key});
  }
  std::sort(out.begin(), out.end(), [](const Folder& a, const Folder& b) { return a.key < b.key; });
  return out;
}

// What one folder's model.json says about the table.
struct FolderSchema {
  cdm::Entity entity;
  cdm::CsvFormat csv;
  int is_delete = -1;
};

class SynapseLinkSource : public RefreshSource {
 public:
  SynapseLinkSource(const Catalog& catalog, const cdm::Entity& entity, std::string root)
      : RefreshSource(catalog, entity), root_(std::move(root)) {}

  std::string layout() const override { return "synapse-link"; }

  SourceListing List() override {
    if (!entity_.readable) {
      throw Error(ErrorKind::kData, "entity " + entity_.schema + "." + entity_.name + " cannot be read: its metadata has errors",
                  Location{entity_.manifest, 0, entity_.name}, "run `cdmlake lake inspect` to see every problem in the lake");
    }
    SourceListing out;
    FileSystem& fs = catalog_.fs();
    const std::string absolute_root = JoinPath(catalog_.lake_root(), root_);
    std::string in_progress;
    const std::string changelog = JoinPath(root_, "Changelog/changelog.info");
    if (fs.Stat(JoinPath(catalog_.lake_root(), changelog))) {
      in_progress = BaseName(std::string(Trim(StripUtf8Bom(fs.ReadFile(JoinPath(catalog_.lake_root(), changelog))))));
    }
    const std::string stop = FolderKey(in_progress);
    folder_of_file_.clear();
    for (const Folder& folder : TimestampFolders(fs, absolute_root)) {
      if (!stop.empty() && folder.key >= stop) {
        out.notes.push_back("skipped " + JoinPath(root_, folder.name) +
                            (folder.name == in_progress ? " (in progress, named by " + changelog + ")"
                                                        : " (after the in-progress folder " + in_progress + ")"));
        continue;
      }
      const std::string folder_path = JoinPath(root_, folder.name);
      auto model = fs.Stat(JoinPath(catalog_.lake_root(), folder_path + "/model.json"));
      if (!model || model->is_directory || model->size == 0 ||
          Trim(StripUtf8Bom(fs.ReadFile(JoinPath(catalog_.lake_root(), folder_path + "/model.json")))).empty()) {
        throw Error(ErrorKind::kData,
                    "the finalized Synapse Link folder " + folder_path + " has " +
                        (model ? "an empty model.json" : "no model.json"),
                    Location{folder_path, 0, entity_.name},
                    "only the in-progress folder (named in " + changelog +
                        ") may lack its model.json; restore it, or move the folder out of the lake (its changes are "
                        "then not applied)");
      }
      for (const FileInfo& e : fs.ListDirectory(JoinPath(catalog_.lake_root(), folder_path))) {
        if (!e.is_directory || !EqualsIgnoreCase(e.name, entity_.name)) continue;
        const std::string table_dir = folder_path + "/" + e.name;
        for (const std::string& file : fs.ListFilesRecursive(JoinPath(catalog_.lake_root(), table_dir))) {
          if (BaseName(file).front() == '.' || !EndsWithIgnoreCase(file, ".csv")) continue;
          const std::string path = table_dir + "/" + file;
          out.changes.push_back(StampFile(fs, catalog_.lake_root(), path));
          folder_of_file_[path] = folder;
        }
      }
    }
    std::sort(out.changes.begin(), out.changes.end(), [](const FileStamp& a, const FileStamp& b) { return a.path < b.path; });
    return out;
  }

  RefreshOutput Compute(engine::Connection& connection, const RefreshInput& input) override {
    RefreshOutput out;
    ResolveColumns();
    std::map<std::string, std::vector<std::string>> files_by_folder;  // folder name -> lake-relative files
    for (const FileStamp& f : input.files) files_by_folder[folder_of_file_.at(f.path).name].push_back(f.path);
    std::string changes;
    std::string last_folder = input.previous ? input.previous->watermark.value("folder", "") : "";
    for (const auto& [name, files] : files_by_folder) {
      const Folder& folder = folder_of_file_.at(files.front());
      changes += (changes.empty() ? "" : " UNION ALL ") + FolderSelect(folder, files);
      if (last_folder.empty() || FolderKey(last_folder) < folder.key) last_folder = folder.name;
    }
    if (changes.empty()) changes = EmptySelect();
    ExecuteReading(connection, "CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "chg AS " + changes,
                   catalog_.fs(), catalog_.lake_root(), csv_of_first_, entity_.name, "cannot read the Synapse Link file");
    CheckRows(connection);
    for (const auto& row : connection.Query("SELECT " + std::string(kFileColumn) + ", count(*) FROM " + RefreshTemp("chg") +
                                            " GROUP BY ALL").FetchAllText()) {
      int64_t n = 0;
      if (row[0] && row[1] && ParseInt64(*row[1], &n)) out.rows_per_file[LakeRelative(catalog_.lake_root(), *row[0])] = n;
    }
    out.change_rows = QueryInt(connection, "SELECT count(*) FROM " + RefreshTemp("chg"));
    Merge(connection, input, &out);
    if (!last_folder.empty()) {
      out.watermark = {{"folder", last_folder}};
      out.watermark_text = last_folder;
    }
    return out;
  }

 private:
  void ResolveColumns() {
    id_ = FindAttribute(entity_, "Id");
    version_ = FindAttribute(entity_, "versionnumber");
    modified_ = FindAttribute(entity_, "SinkModifiedOn");
    if (!id_ || !version_ || FindAttributeIndex(entity_.attributes, "IsDelete") < 0) {
      throw Error(ErrorKind::kData, "the table " + entity_.name + " has no Id, versionnumber or IsDelete column",
                  Location{entity_.manifest, 0, entity_.name}, "Synapse Link tables have Id, versionnumber and IsDelete");
    }
  }

  // The table's schema in one folder's model.json; cached per folder.
  const FolderSchema& Schema(const Folder& folder) {
    auto it = schemas_.find(folder.name);
    if (it != schemas_.end()) return it->second;
    const std::string path = JoinPath(root_, folder.name + "/model.json");
    cdm::RootDocument doc = cdm::ReadModelJson(catalog_.resolver(), path);
    for (const cdm::Problem& p : doc.problems) {
      if (p.severity == cdm::Severity::kError && (doc.failed || EqualsIgnoreCase(p.entity, entity_.name))) {
        throw Error(ErrorKind::kData, "the model.json of Synapse Link folder " + folder.name + " cannot be read: " + p.message,
                    Location{p.file, p.line, entity_.name});
      }
    }
    const cdm::Entity* found = nullptr;
    for (const cdm::Entity& e : doc.entities) {
      if (EqualsIgnoreCase(e.name, entity_.name)) found = &e;
    }
    if (!found) {
      throw Error(ErrorKind::kData, "the folder " + JoinPath(root_, folder.name) + " has files of " + entity_.name +
                                        " but its model.json does not declare that table",
                  Location{path, 0, entity_.name});
    }
    FolderSchema schema;
    schema.entity = *found;
    if (!found->partitions.empty()) schema.csv = found->partitions.front().csv;
    schema.is_delete = FindAttributeIndex(found->attributes, "IsDelete");
    for (const char* column : {"Id", "versionnumber", "IsDelete"}) {
      if (FindAttributeIndex(found->attributes, column) < 0) {
        throw Error(ErrorKind::kData, "the model.json of Synapse Link folder " + folder.name + " declares " + entity_.name +
                                          " without the column " + column,
                    Location{path, 0, entity_.name});
      }
    }
    return schemas_.emplace(folder.name, std::move(schema)).first->second;
  }

  // Rows must have at least the columns up to IsDelete and at most the folder's columns. DuckDB's padding
  // cannot tell a row cut before IsDelete from one with an empty IsDelete, so this is checked here.
  void CheckWidths(const FolderSchema& schema, const std::string& path) {
    const std::string absolute = JoinPath(catalog_.lake_root(), path);
    const size_t least = static_cast<size_t>(schema.is_delete) + 1, most = schema.entity.attributes.size();
    std::string text = catalog_.fs().ReadFile(absolute);
    ForEachCsvRecord(text, schema.csv, [&](const std::vector<CsvField>& fields, int64_t line) {
      if (fields.size() >= least && fields.size() <= most) return true;
      throw Error(ErrorKind::kData,
                  "a row has " + std::to_string(fields.size()) + " fields; rows of this folder have " +
                      (fields.size() > most ? "at most the " + std::to_string(most) + " columns of its model.json"
                                            : "at least the " + std::to_string(least) + " columns up to IsDelete"),
                  Location{path, line, entity_.name},
                  "a row that is wider than its folder's schema, or stops before IsDelete, is corrupt; fix or remove it");
    });
  }

  std::string ReadType(const cdm::Attribute& c) const {
    if (IsSinkTime(c.name)) return "VARCHAR";
    const cdm::Attribute* a = FindAttribute(entity_, c.name);
    return a ? a->SqlType() : "VARCHAR";
  }

  // The SELECT over one folder's files of the table, in the columns of the root model.json.
  std::string FolderSelect(const Folder& folder, const std::vector<std::string>& files) {
    const FolderSchema& schema = Schema(folder);
    std::vector<std::string> absolute;
    for (const std::string& f : files) {
      CheckWidths(schema, f);
      absolute.push_back(JoinPath(catalog_.lake_root(), f));
    }
    csv_of_first_ = schema.csv;
    std::vector<CsvColumn> columns;
    for (const cdm::Attribute& c : schema.entity.attributes) columns.push_back({c.name, ReadType(c)});
    auto source = [&](std::string_view name) -> std::string {
      int j = FindAttributeIndex(schema.entity.attributes, name);
      return j < 0 ? "" : QuoteIdentifier(schema.entity.attributes[static_cast<size_t>(j)].name);
    };
    std::string select = "SELECT ";
    for (const cdm::Attribute& a : entity_.attributes) {
      std::string column = source(a.name);
      std::string value = "CAST(NULL AS " + a.SqlType() + ")";
      if (!column.empty()) {
        int j = FindAttributeIndex(schema.entity.attributes, a.name);
        const std::string read = ReadType(schema.entity.attributes[static_cast<size_t>(j)]);
        if (IsSinkTime(a.name)) {
          value = "CAST(" + SinkTimeSql(column) + " AS " + a.SqlType() + ")";
        } else {
          value = read == a.SqlType() ? column : "CAST(" + column + " AS " + a.SqlType() + ")";
        }
      }
      select += value + " AS " + QuoteIdentifier(a.name) + ", ";
    }
    const std::string modified = source("SinkModifiedOn");
    select += "CAST(" + QuoteIdentifier(version_->name) + " AS BIGINT) AS " + kVer + ", " +
              (modified.empty() ? "CAST(NULL AS TIMESTAMP)" : SinkTimeSql(modified)) + " AS " + kSmod + ", " +
              (modified.empty() ? "CAST(NULL AS VARCHAR)" : modified) + " AS __cdmlake_smod_raw, coalesce(" +
              source("IsDelete") + ", false) AS " + kDel + ", " + QuoteLiteral(folder.key) + " AS " + kFolder + ", 1 AS " +
              kSrc + ", " + kFileColumn;
    return select + " FROM " + ReadCsvSql(absolute, columns, schema.csv, true);
  }

  std::string EmptySelect() const {
    std::string select = "SELECT ";
    for (const cdm::Attribute& a : entity_.attributes) select += "CAST(NULL AS " + a.SqlType() + ") AS " + QuoteIdentifier(a.name) + ", ";
    return select + "NULL::BIGINT AS " + kVer + ", NULL::TIMESTAMP AS " + kSmod + ", NULL::VARCHAR AS __cdmlake_smod_raw, false AS " +
           kDel + ", '' AS " + kFolder + ", 1 AS " + kSrc + ", NULL::VARCHAR AS " + kFileColumn + " WHERE false";
  }

  // Fails on the first row without Id or versionnumber, or with a SinkModifiedOn that does not parse.
  void CheckRows(engine::Connection& connection) {
    auto row = FirstRow(connection, "SELECT " + std::string(kFileColumn) + ", problem, __cdmlake_smod_raw FROM (SELECT *, CASE WHEN " +
                                        QuoteIdentifier(id_->name) + " IS NULL THEN 'Id' WHEN " + kVer +
                                        " IS NULL THEN 'versionnumber' WHEN " + kSmod +
                                        " IS NULL AND trim(coalesce(__cdmlake_smod_raw, '')) <> '' THEN 'SinkModifiedOn' END AS problem FROM " +
                                        RefreshTemp("chg") + ") WHERE problem IS NOT NULL ORDER BY 1 LIMIT 1");
    if (row.empty()) return;
    const std::string relative = LakeRelative(catalog_.lake_root(), row[0].value_or(""));
    const std::string problem = row[1].value_or("");
    const FolderSchema& schema = Schema(folder_of_file_.at(relative));
    const int column = FindAttributeIndex(schema.entity.attributes, problem);
    const std::string raw = row[2].value_or("");
    int64_t line = FindRecordLine(catalog_.fs(), JoinPath(catalog_.lake_root(), relative), schema.csv,
                                  [&](const std::vector<CsvField>& fields) {
                                    bool present = column >= 0 && static_cast<size_t>(column) < fields.size();
                                    if (problem == "SinkModifiedOn") return present && fields[static_cast<size_t>(column)].text == raw;
                                    return !present || Trim(fields[static_cast<size_t>(column)].text).empty();
                                  });
    std::string message = problem == "SinkModifiedOn"
                              ? "SinkModifiedOn '" + raw + "' is neither M/d/yyyy h:mm:ss AM/PM nor ISO 8601"
                              : "a row has no " + problem;
    throw Error(ErrorKind::kData, "bad Synapse Link row: " + message, Location{relative, line, entity_.name},
                "fix or remove the row; the table keeps its previous state until the refresh succeeds");
  }

  // Picks the winner per Id among the new rows, the previous state and the tombstones; fills the counts and
  // the SQL of the new state and tombstones.
  void Merge(engine::Connection& connection, const RefreshInput& input, RefreshOutput* out) {
    const std::string id = QuoteIdentifier(id_->name);
    const std::string columns = ColumnList(entity_);
    std::string all = "SELECT " + columns + ", " + kVer + ", " + kSmod + ", " + kDel + ", " + kFolder + ", " + kSrc + ", " +
                      kFileColumn + " FROM " + RefreshTemp("chg");
    std::string previous = "(SELECT NULL::" + id_->SqlType() + " AS " + id + " WHERE false)";
    if (input.mode == RefreshMode::kIncremental) {
      previous = "read_parquet(" + engine::QuoteFilePath(input.previous_table) + ")";
      all += " UNION ALL SELECT " + columns + ", CAST(" + QuoteIdentifier(version_->name) + " AS BIGINT), " +
             (modified_ ? "CAST(" + QuoteIdentifier(modified_->name) + " AS TIMESTAMP)" : std::string("NULL::TIMESTAMP")) +
             ", false, '', 0, '' FROM " + previous;
      if (!input.previous_tombstones.empty()) {
        std::string nulls;
        for (const cdm::Attribute& a : entity_.attributes) {
          nulls += (a.name == id_->name ? id : "CAST(NULL AS " + a.SqlType() + ")") + " AS " + QuoteIdentifier(a.name) + ", ";
        }
        all += " UNION ALL SELECT " + nulls + "versionnumber, sinkmodifiedon, true, '', 0, '' FROM read_parquet(" +
               engine::QuoteFilePath(input.previous_tombstones) + ")";
      }
    }
    std::string tiebreak;
    for (const cdm::Attribute& a : entity_.attributes) tiebreak += ", " + QuoteIdentifier(a.name) + " ASC NULLS FIRST";
    connection.Execute("CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "win AS SELECT * FROM (" + all +
                       ") QUALIFY row_number() OVER (PARTITION BY " + id + " ORDER BY " + kVer + " DESC NULLS LAST, " +
                       kSmod + " DESC NULLS LAST, " + kSrc + " DESC, " + kFolder + " DESC, " + kFileColumn + " DESC, " +
                       kDel + " DESC" + tiebreak + ") = 1");
    const std::string win = RefreshTemp("win");
    auto row = FirstRow(connection, "SELECT (SELECT count(*) FROM " + previous + "), count(*) FILTER (WHERE w." + kSrc +
                                        " = 1 AND NOT w." + kDel + " AND p.k IS NULL), count(*) FILTER (WHERE w." + kSrc +
                                        " = 1 AND NOT w." + kDel + " AND p.k IS NOT NULL), count(*) FILTER (WHERE w." + kSrc +
                                        " = 1 AND w." + kDel + " AND p.k IS NOT NULL) FROM " + win +
                                        " w LEFT JOIN (SELECT DISTINCT " + id + " AS k FROM " + previous + " WHERE " + id + " IN (SELECT " +
                                        id + " FROM " + win + ")) p ON w." + id + " = p.k");  // changed keys only
    int64_t* targets[] = {&out->rows_before, &out->inserted, &out->updated, &out->deleted};
    for (size_t i = 0; i < 4 && i < row.size(); ++i) {
      if (row[i]) ParseInt64(*row[i], targets[i]);
    }
    out->table_sql = "SELECT " + TypedColumnList(entity_) + " FROM " + win + " WHERE NOT " + kDel + " ORDER BY " + id;
    out->tombstones_sql = "SELECT " + id + ", " + kVer + " AS versionnumber, " + kSmod + " AS sinkmodifiedon FROM " + win +
                          " WHERE " + kDel + " ORDER BY " + id;
  }

  std::string root_;  // lake-relative folder of the root model.json
  std::map<std::string, Folder> folder_of_file_;
  std::map<std::string, FolderSchema> schemas_;
  cdm::CsvFormat csv_of_first_;
  const cdm::Attribute* id_ = nullptr;
  const cdm::Attribute* version_ = nullptr;
  const cdm::Attribute* modified_ = nullptr;
};

}  // namespace

std::vector<std::unique_ptr<RefreshSource>> FindSynapseLinkSources(const Catalog& catalog) {
  std::vector<std::unique_ptr<RefreshSource>> out;
  FileSystem& fs = catalog.fs();
  for (const cdm::RootDocument& root : catalog.roots()) {
    if (!EqualsIgnoreCase(BaseName(root.path), "model.json")) continue;
    const std::string folder = DirName(root.path);
    const std::string absolute = JoinPath(catalog.lake_root(), folder);
    bool incremental = fs.Stat(JoinPath(absolute, "Changelog/changelog.info")).has_value();
    if (!incremental) {
      try {
        incremental = !TimestampFolders(fs, absolute).empty();
      } catch (const Error&) {
        continue;
      }
    }
    if (!incremental) continue;
    for (const cdm::Entity& entity : root.entities) {
      // Tables with Id, versionnumber and IsDelete; metadata tables (OptionsetMetadata...) are read as they are.
      if (!FindAttribute(entity, "Id") || !FindAttribute(entity, "versionnumber") || !FindAttribute(entity, "IsDelete")) continue;
      out.push_back(std::make_unique<SynapseLinkSource>(catalog, entity, folder));
    }
  }
  return out;
}

}  // namespace cdmlake::lake
