// Incremental partitions, as Customer Insights ingests them: an entity folder with FullData/ plus
// IncrementalData/yyyy/mm/dd/hh/{Upserts,Deletes}/*.csv.
//
// The manifest declares them on the entity: dataPartitionPatterns (or dataPartitions) for the full data, and
// incrementalPartitionPatterns / incrementalPartitions carrying the trait is.partition.incremental whose
// argument `type` is Upsert (also Insert, Update) or Delete; without the trait, a path with an Upserts/ or
// Deletes/ folder says which. The hour of a file is the first run of folders yyyy/mm/dd/hh in its path below the
// pattern's rootLocation (or in its path, for an explicit partition). An hour is applied only after it ended.
//
// Per primary key (the attributes marked isPrimaryKey / identifiedBy) the row of the latest hour wins; between an
// upsert and a delete of the same hour the delete wins. Delete files hold either the entity's columns or only
// its key columns. The watermark is the last hour applied: a file that appears later in an hour at or before it
// is an error, and a change to an applied file (or to the full data) rebuilds the state.
#include <algorithm>
#include <ctime>
#include <map>
#include <optional>

#include "cdm/json_document.h"
#include "cdm/partition_format.h"
#include "cdm/partition_pattern.h"
#include "engine/quote.h"
#include "lake/discovery.h"
#include "lake/refresh_source.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

constexpr const char* kHour = "__cdmlake_hour";
constexpr const char* kKind = "__cdmlake_kind";

enum class IncrementKind { kUpsert, kDelete };

// One incremental file.
struct Increment {
  std::string path;  // lake-relative
  IncrementKind kind = IncrementKind::kUpsert;
  std::string hour;  // "2024-06-15T14"
  cdm::CsvFormat csv;
};

// A declaration of incremental data: a pattern (root + matcher) or one explicit file.
struct IncrementalDeclaration {
  std::string name;
  std::string root;      // lake-relative folder (patterns)
  std::string location;  // lake-relative file (explicit partitions)
  std::string glob, regex;
  std::string type;  // the trait's `type`, or ""
  cdm::CsvFormat csv;
};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The hour of a path: its first run of folders yyyy/mm/dd/hh, as "yyyy-mm-ddThh"; "" when there is none.
std::string HourOf(const std::string& path) {
  std::vector<std::string> parts = Split(path, '/');
  for (size_t i = 0; i + 3 < parts.size(); ++i) {
    const std::string &y = parts[i], &m = parts[i + 1], &d = parts[i + 2], &h = parts[i + 3];
    if (y.size() == 4 && m.size() == 2 && d.size() == 2 && h.size() == 2 && AllDigits(y) && AllDigits(m) &&
        AllDigits(d) && AllDigits(h) && m >= "01" && m <= "12" && d >= "01" && d <= "31" && h <= "23") {
      return y + "-" + m + "-" + d + "T" + h;
    }
  }
  return "";
}

// The hour now, as HourOf gives them: hours before it are complete.
std::string CurrentHour(int64_t now_unix_seconds) {
  std::time_t t = static_cast<std::time_t>(now_unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H", &tm);
  return buffer;
}

// What kind of increment a declaration holds; throws for a type cdmlake does not apply.
IncrementKind KindOf(const IncrementalDeclaration& d, const std::string& path, const cdm::Entity& entity,
                     const std::string& manifest) {
  const std::string type = ToLower(d.type);
  if (type == "upsert" || type == "insert" || type == "update") return IncrementKind::kUpsert;
  if (type == "delete") return IncrementKind::kDelete;
  if (type.empty()) {
    for (const std::string& part : Split(path, '/')) {
      if (EqualsIgnoreCase(part, "Upserts")) return IncrementKind::kUpsert;
      if (EqualsIgnoreCase(part, "Deletes")) return IncrementKind::kDelete;
    }
  }
  throw Error(ErrorKind::kData,
              "the incremental partition " + (d.name.empty() ? path : d.name) + " of " + entity.name + " has " +
                  (type.empty() ? "no is.partition.incremental type and no Upserts/ or Deletes/ folder"
                                : "the type " + d.type + ", which cdmlake does not apply"),
              Location{manifest, 0, entity.name},
              "declare is.partition.incremental with type Upsert or Delete on each incremental pattern");
}

// Manifests parsed once per refresh; nullopt for one that has no incremental declarations (most).
using ManifestCache = std::map<std::string, std::optional<cdm::JsonDocument>>;

const cdm::JsonDocument* Manifest(const Catalog& catalog, const std::string& path, ManifestCache* cache) {
  auto it = cache->find(path);
  if (it == cache->end()) {
    std::optional<cdm::JsonDocument> doc;
    try {
      std::string text = catalog.fs().ReadFile(JoinPath(catalog.lake_root(), path));
      // Parse only manifests that can declare incremental data.
      if (ToLower(text).find("incrementalpartition") != std::string::npos) {
        std::vector<cdm::Problem> problems;
        doc = cdm::ParseJsonDocument(path, std::move(text), &problems);
      }
    } catch (const Error&) {
      // Reported by the catalog.
    }
    it = cache->emplace(path, std::move(doc)).first;
  }
  return it->second ? &*it->second : nullptr;
}

// The declaration of `entity` in its manifest (the catalog keeps no incremental partitions).
std::vector<IncrementalDeclaration> Declarations(const Catalog& catalog, const cdm::Entity& entity, ManifestCache* cache) {
  std::vector<IncrementalDeclaration> out;
  if (!EndsWithIgnoreCase(entity.manifest, ".cdm.json")) return out;
  const cdm::JsonDocument* doc = Manifest(catalog, entity.manifest, cache);
  if (!doc) return out;
  const nlohmann::json* entities = cdm::Member(doc->json, "entities");
  if (!entities || !entities->is_array()) return out;
  cdm::LocationResolver resolver = catalog.resolver();
  for (const auto& decl : *entities) {
    if (!EqualsIgnoreCase(cdm::StringMember(decl, "entityName"), entity.name)) continue;
    for (const char* key : {"incrementalPartitionPatterns", "incrementalPartitions"}) {
      const nlohmann::json* list = cdm::Member(decl, key);
      if (!list || !list->is_array()) continue;
      const bool patterns = std::string(key) == "incrementalPartitionPatterns";
      for (const auto& p : *list) {
        IncrementalDeclaration d;
        d.name = cdm::StringMember(p, "name");
        std::vector<cdm::TraitRef> traits;
        if (const nlohmann::json* t = cdm::Member(p, "exhibitsTraits")) traits = cdm::ParseTraits(*t);
        if (const cdm::TraitRef* inc = cdm::FindTrait(traits, "is.partition.incremental")) {
          if (const nlohmann::json* type = inc->Argument("type", 0)) d.type = cdm::ScalarText(*type);
        }
        const std::string where = patterns ? cdm::StringMember(p, "rootLocation") : cdm::StringMember(p, "location");
        cdm::ResolvedLocation resolved = resolver.Resolve(entity.manifest, where.empty() ? "." : where);
        if (!resolved.ok) {
          throw Error(ErrorKind::kData, "incremental partition " + d.name + " of " + entity.name + ": " + resolved.error,
                      Location{entity.manifest, doc->LineOfName(where), entity.name});
        }
        (patterns ? d.root : d.location) = resolved.path;
        d.glob = cdm::StringMember(p, "globPattern");
        d.regex = cdm::StringMember(p, "regularExpression");
        cdm::PartitionFormat format = cdm::FormatFromTraits(traits, where);
        d.csv = format.csv;
        out.push_back(std::move(d));
      }
    }
  }
  return out;
}

class IncrementalPartitionSource : public RefreshSource {
 public:
  IncrementalPartitionSource(const Catalog& catalog, const cdm::Entity& entity,
                             std::vector<IncrementalDeclaration> declarations, int64_t now, std::optional<Error> error)
      : RefreshSource(catalog, entity),
        declarations_(std::move(declarations)),
        current_hour_(CurrentHour(now)),
        error_(std::move(error)) {}

  std::string layout() const override { return "incremental-partitions"; }
  bool RebuildWhenAppliedFileChanges() const override { return true; }

  SourceListing List() override {
    if (error_) throw *error_;
    if (!entity_.readable) {
      throw Error(ErrorKind::kData, "entity " + entity_.schema + "." + entity_.name + " cannot be read: its metadata has errors",
                  Location{entity_.manifest, 0, entity_.name}, "run `cdmlake lake inspect` to see every problem in the lake");
    }
    SourceListing out;
    snapshot_sql_ = EntitySnapshotSql(catalog_, entity_, &out.base);
    increments_.clear();
    std::map<std::string, int> pending;  // hour -> files left for later
    for (const IncrementalDeclaration& d : declarations_) {
      for (const auto& [path, below_root] : Files(d)) {
        if (increments_.count(path)) continue;
        Increment inc{path, KindOf(d, path, entity_, entity_.manifest), HourOf(below_root), d.csv};
        if (inc.hour.empty()) {
          throw Error(ErrorKind::kData,
                      "the incremental file " + path + " is not in an hour folder yyyy/mm/dd/hh",
                      Location{path, 0, entity_.name}, "incremental data goes to IncrementalData/yyyy/mm/dd/hh/");
        }
        if (inc.hour >= current_hour_) {
          ++pending[inc.hour];
          continue;
        }
        out.changes.push_back(StampFile(catalog_.fs(), catalog_.lake_root(), path));
        increments_[path] = std::move(inc);
      }
    }
    for (const auto& [hour, files] : pending) {
      out.notes.push_back("left " + std::to_string(files) + " file(s) of hour " + hour + " for later: the hour is not over");
    }
    std::sort(out.changes.begin(), out.changes.end(), [](const FileStamp& a, const FileStamp& b) { return a.path < b.path; });
    return out;
  }

  RefreshOutput Compute(engine::Connection& connection, const RefreshInput& input) override {
    RefreshOutput out;
    ResolveKey();
    std::string watermark = input.previous ? input.previous->watermark.value("hour", "") : "";
    if (input.mode == RefreshMode::kIncremental) CheckNotLate(input, watermark);
    ReadIncrements(connection, input.files);
    CheckKeys(connection);
    for (const auto& row : connection.Query("SELECT " + std::string(kFileColumn) + ", count(*) FROM " + RefreshTemp("chg") +
                                            " GROUP BY ALL").FetchAllText()) {
      int64_t n = 0;
      if (row[0] && row[1] && ParseInt64(*row[1], &n)) out.rows_per_file[LakeRelative(catalog_.lake_root(), *row[0])] = n;
    }
    out.change_rows = QueryInt(connection, "SELECT count(*) FROM " + RefreshTemp("chg"));
    for (const FileStamp& f : input.files) watermark = std::max(watermark, increments_.at(f.path).hour);
    if (!watermark.empty()) {
      out.watermark = {{"hour", watermark}};
      out.watermark_text = watermark;
    }
    std::string tiebreak;
    for (const cdm::Attribute& a : entity_.attributes) tiebreak += ", " + QuoteIdentifier(a.name) + " ASC NULLS FIRST";
    connection.Execute("CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "win AS SELECT * FROM " +
                       RefreshTemp("chg") + " QUALIFY row_number() OVER (PARTITION BY " + KeyList("") + " ORDER BY " +
                       kHour + " DESC, " + kKind + " ASC, " + kFileColumn + " DESC" + tiebreak + ") = 1");
    std::string base;
    if (input.mode == RefreshMode::kFull) {
      ExecuteReading(connection, "CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "base AS " + snapshot_sql_,
                     catalog_.fs(), catalog_.lake_root(), SnapshotCsv(), entity_.name, "cannot read the full data");
      base = RefreshTemp("base");
    } else {
      base = "read_parquet(" + engine::QuoteFilePath(input.previous_table) + ")";
    }
    Count(connection, base, &out);
    out.table_sql = "SELECT " + TypedColumnList(entity_) + " FROM (SELECT " + ColumnList(entity_, "b.") + " FROM " + base +
                    " b ANTI JOIN " + RefreshTemp("win") + " w ON " + KeyJoin("b.", "w.") + " UNION ALL SELECT " +
                    ColumnList(entity_) + " FROM " + RefreshTemp("win") + " WHERE " + kKind + " = 'U') ORDER BY " +
                    KeyList("");
    out.changed_keys_sql = "SELECT DISTINCT " + KeyList("") + " FROM " + RefreshTemp("win");
    return out;
  }

 private:
  // The files of a declaration: (lake-relative path, path below the pattern's root for finding the hour).
  std::vector<std::pair<std::string, std::string>> Files(const IncrementalDeclaration& d) const {
    std::vector<std::pair<std::string, std::string>> out;
    FileSystem& fs = catalog_.fs();
    if (!d.location.empty()) {
      if (fs.Stat(JoinPath(catalog_.lake_root(), d.location))) out.emplace_back(d.location, d.location);
      return out;
    }
    auto info = fs.Stat(JoinPath(catalog_.lake_root(), d.root));
    if (!info || !info->is_directory) return out;  // no increments yet
    cdm::PatternMatcher matcher(d.glob, d.regex);
    if (!matcher.ok()) {
      throw Error(ErrorKind::kData, "incremental partition pattern " + d.name + ": " + matcher.error(),
                  Location{entity_.manifest, 0, entity_.name});
    }
    for (const std::string& file : fs.ListFilesRecursive(JoinPath(catalog_.lake_root(), d.root))) {
      if (BaseName(file).front() == '.' || !matcher.Match(file)) continue;
      out.emplace_back(d.root.empty() ? file : d.root + "/" + file, file);
    }
    return out;
  }

  void ResolveKey() {
    keys_.clear();
    for (const cdm::Attribute& a : entity_.attributes) {
      if (a.primary_key) keys_.push_back(&a);
    }
    if (keys_.empty()) {
      throw Error(ErrorKind::kData, "the entity " + entity_.name + " has no primary key to apply incremental data by",
                  Location{entity_.document.empty() ? entity_.manifest : entity_.document, 0, entity_.name},
                  "mark the key attribute with isPrimaryKey: true or purpose identifiedBy");
    }
  }

  std::string KeyList(const std::string& prefix) const {
    std::string out;
    for (const cdm::Attribute* k : keys_) out += (out.empty() ? "" : ", ") + prefix + QuoteIdentifier(k->name);
    return out;
  }

  std::string KeyJoin(const std::string& left, const std::string& right) const {
    std::string out;
    for (const cdm::Attribute* k : keys_) {
      out += (out.empty() ? "" : " AND ") + left + QuoteIdentifier(k->name) + " = " + right + QuoteIdentifier(k->name);
    }
    return out;
  }

  // A new file in an hour that an earlier refresh applied came too late: its rows would lose against later
  // hours that were already applied, so it is refused rather than silently merged out of order.
  void CheckNotLate(const RefreshInput& input, const std::string& watermark) {
    std::map<std::string, bool> applied;
    for (const FileStamp& f : input.previous->applied) applied[f.path] = true;
    for (const FileStamp& f : input.files) {
      const Increment& inc = increments_.at(f.path);
      if (!applied.count(f.path) && !watermark.empty() && inc.hour <= watermark) {
        throw Error(ErrorKind::kData,
                    "the incremental file " + f.path + " of hour " + inc.hour +
                        " appeared after the refresh that applied the hours up to " + watermark,
                    Location{f.path, 0, entity_.name},
                    "remove the file if it is a stray copy; to rebuild the table with it, remove its refresh state (" +
                        RefreshStateFolder(entity_.schema, entity_.name) + ")");
      }
    }
  }

  // Reads the files into the temp table chg: the entity's columns, the hour and U or D.
  void ReadIncrements(engine::Connection& connection, const std::vector<FileStamp>& files) {
    connection.Execute("CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "files (" + kFileColumn +
                       " VARCHAR, " + kHour + " VARCHAR, " + kKind + " VARCHAR)");
    {
      engine::Appender appender = connection.CreateAppender("main", std::string(kRefreshTempPrefix) + "files", "temp");
      for (const FileStamp& f : files) {
        const Increment& inc = increments_.at(f.path);
        appender.Append(std::string_view(JoinPath(catalog_.lake_root(), f.path)))
            .Append(std::string_view(inc.hour))
            .Append(std::string_view(inc.kind == IncrementKind::kDelete ? "D" : "U"));
        appender.EndRow();
      }
      appender.Close();
    }
    std::vector<std::pair<std::string, cdm::CsvFormat>> upserts, deletes;
    for (const FileStamp& f : files) {
      const Increment& inc = increments_.at(f.path);
      (inc.kind == IncrementKind::kDelete ? deletes : upserts).emplace_back(f.path, inc.csv);
    }
    std::string sql;
    for (bool is_delete : {false, true}) {
      auto probed = ProbeSourceFiles(catalog_.fs(), catalog_.lake_root(), is_delete ? deletes : upserts);
      for (const SourceGroup& g : GroupSourceFiles(probed, catalog_.lake_root(), true)) {
        sql += (sql.empty() ? "" : " UNION ALL ") + GroupSelect(g, is_delete);
        if (!have_csv_) csv_of_first_ = g.csv;
        have_csv_ = true;
      }
    }
    if (sql.empty()) {
      sql = "SELECT ";
      for (const cdm::Attribute& a : entity_.attributes) {
        sql += "CAST(NULL AS " + a.SqlType() + ") AS " + QuoteIdentifier(a.name) + ", ";
      }
      sql += "NULL::VARCHAR AS " + std::string(kFileColumn) + " WHERE false";
    }
    ExecuteReading(connection,
                   "CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "chg AS SELECT c.*, f." + kHour +
                       ", f." + kKind + " FROM (" + sql + ") c JOIN " + RefreshTemp("files") + " f USING (" + kFileColumn + ")",
                   catalog_.fs(), catalog_.lake_root(), csv_of_first_, entity_.name, "cannot read the incremental file");
  }

  // The SELECT over one group of files. A delete file as wide as the key holds only the key columns.
  std::string GroupSelect(const SourceGroup& g, bool is_delete) const {
    const size_t all = entity_.attributes.size();
    std::vector<const cdm::Attribute*> columns;
    if (is_delete && g.width >= 0 && static_cast<size_t>(g.width) == keys_.size() && keys_.size() < all) {
      columns = keys_;
    } else {
      size_t width = g.width < 0 || static_cast<size_t>(g.width) > all ? all : static_cast<size_t>(g.width);
      for (size_t i = 0; i < width; ++i) columns.push_back(&entity_.attributes[i]);
    }
    std::vector<CsvColumn> read;
    for (const cdm::Attribute* a : columns) read.push_back({a->name, a->SqlType()});
    std::string select = "SELECT ";
    for (const cdm::Attribute& a : entity_.attributes) {
      bool present = std::find(columns.begin(), columns.end(), &a) != columns.end();
      select += (present ? ColumnValueSql(entity_, a, QuoteIdentifier(a.name)) : "CAST(NULL AS " + a.SqlType() + ")") +
                " AS " + QuoteIdentifier(a.name) + ", ";
    }
    return select + kFileColumn + " FROM " + ReadCsvSql(g.files, read, g.csv, false);
  }

  void CheckKeys(engine::Connection& connection) {
    std::string null_key;
    for (const cdm::Attribute* k : keys_) null_key += (null_key.empty() ? "" : " OR ") + QuoteIdentifier(k->name) + " IS NULL";
    auto row = FirstRow(connection, "SELECT " + std::string(kFileColumn) + " FROM " + RefreshTemp("chg") + " WHERE " +
                                        null_key + " ORDER BY 1 LIMIT 1");
    if (row.empty()) return;
    const std::string relative = LakeRelative(catalog_.lake_root(), row[0].value_or(""));
    const Increment& inc = increments_.at(relative);
    std::vector<int> positions;
    for (const cdm::Attribute* k : keys_) positions.push_back(static_cast<int>(k - entity_.attributes.data()));
    int64_t line = FindRecordLine(catalog_.fs(), JoinPath(catalog_.lake_root(), relative), inc.csv,
                                  [&](const std::vector<CsvField>& fields) {
                                    // A key-only delete file holds the keys first; otherwise at their positions.
                                    for (size_t i = 0; i < positions.size(); ++i) {
                                      size_t at = fields.size() == keys_.size() ? i : static_cast<size_t>(positions[i]);
                                      if (at >= fields.size() || (fields[at].text.empty() && !fields[at].quoted)) return true;
                                    }
                                    return false;
                                  });
    throw Error(ErrorKind::kData, "an incremental row has no value for the key " + KeyList(""),
                Location{relative, line, entity_.name},
                "fix or remove the row; the table keeps its previous state until the refresh succeeds");
  }

  void Count(engine::Connection& connection, const std::string& base, RefreshOutput* out) {
    auto row = FirstRow(connection, "SELECT (SELECT count(*) FROM " + base + "), count(*) FILTER (WHERE w." + kKind +
                                        " = 'U' AND b.__present IS NULL), count(*) FILTER (WHERE w." + kKind +
                                        " = 'U' AND b.__present), count(*) FILTER (WHERE w." + kKind +
                                        " = 'D' AND b.__present) FROM " + RefreshTemp("win") +
                                        " w LEFT JOIN (SELECT DISTINCT " + KeyList("") + ", true AS __present FROM " + base +
                                        ") b ON " + KeyJoin("w.", "b."));
    int64_t* targets[] = {&out->rows_before, &out->inserted, &out->updated, &out->deleted};
    for (size_t i = 0; i < 4 && i < row.size(); ++i) {
      if (row[i]) ParseInt64(*row[i], targets[i]);
    }
  }

  cdm::CsvFormat SnapshotCsv() const {
    if (!entity_.partitions.empty()) return entity_.partitions.front().csv;
    if (!entity_.patterns.empty()) return entity_.patterns.front().csv;
    return {};
  }

  std::vector<IncrementalDeclaration> declarations_;
  std::string current_hour_;
  std::string snapshot_sql_;
  std::map<std::string, Increment> increments_;  // lake-relative path -> what it is
  std::vector<const cdm::Attribute*> keys_;
  cdm::CsvFormat csv_of_first_;  // for error messages
  bool have_csv_ = false;
  std::optional<Error> error_;  // a declaration that cannot be used, raised when the table is refreshed
};

}  // namespace

std::vector<std::unique_ptr<RefreshSource>> FindIncrementalPartitionSources(const Catalog& catalog,
                                                                           int64_t now_unix_seconds) {
  std::vector<std::unique_ptr<RefreshSource>> out;
  ManifestCache cache;
  for (const cdm::RootDocument& root : catalog.roots()) {
    for (const cdm::Entity& entity : root.entities) {
      std::vector<IncrementalDeclaration> declarations;
      std::optional<Error> error;
      try {
        declarations = Declarations(catalog, entity, &cache);
      } catch (const Error& e) {
        error = e;
      }
      if (declarations.empty() && !error) continue;
      out.push_back(std::make_unique<IncrementalPartitionSource>(catalog, entity, std::move(declarations), now_unix_seconds,
                                                                 std::move(error)));
    }
  }
  return out;
}

}  // namespace cdmlake::lake
