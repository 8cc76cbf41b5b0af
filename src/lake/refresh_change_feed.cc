// D365 Finance & Operations Export to Data Lake: a Tables/ entity kept current from ChangeFeed/.
//
// The change entity has Start_LSN, End_LSN, DML_Action, Seq_Val, Update_Mask, the table's columns, then
// LastProcessedChange_DateTime and DataLakeModified_DateTime (positions are taken from its document, names
// matched case-insensitively). Per RECID the change row with the highest (Start_LSN, Seq_Val,
// DataLakeModified_DateTime) wins; DELETE removes the key, INSERT and AFTER_UPDATE upsert, BEFORE_UPDATE rows are
// ignored. LSNs and Seq_Val are compared as 32 upper-case hex digits, so "0x1" and "0X0001" are equal. The
// watermark is the highest (Start_LSN, Seq_Val) read: an incremental refresh applies only the rows above it,
// and a new row at or below it means the feed went backwards, which is an error.
#include <algorithm>
#include <cctype>
#include <map>

#include "cdm/partition_listing.h"
#include "engine/quote.h"
#include "lake/discovery.h"
#include "lake/refresh_source.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

// Internal column names of the change table; the prefix keeps them apart from any table column.
constexpr const char* kLsnRaw = "__cdmlake_lsn_raw";
constexpr const char* kSeqRaw = "__cdmlake_seq_raw";
constexpr const char* kActionRaw = "__cdmlake_action_raw";
constexpr const char* kDlmRaw = "__cdmlake_dlm_raw";
constexpr const char* kLsn = "__cdmlake_lsn";
constexpr const char* kSeq = "__cdmlake_seq";
constexpr const char* kAction = "__cdmlake_action";
constexpr const char* kDlm = "__cdmlake_dlm";

// The change feed's own columns: always read as text, whatever the document declares.
bool IsCdcColumn(std::string_view name) {
  for (const char* c : {"Start_LSN", "End_LSN", "DML_Action", "Seq_Val", "Update_Mask", "LastProcessedChange_DateTime",
                        "DataLakeModified_DateTime"}) {
    if (EqualsIgnoreCase(name, c)) return true;
  }
  return false;
}

bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// An LSN or Seq_Val as 32 upper-case hex digits ("0X0001" and decimal "1" both give 0...01); "" when the text
// is neither (decimal only when allow_decimal). Mirrors the SQL in NormalizedHexSql, for error messages.
std::string NormalizeHex(std::string_view text, bool allow_decimal) {
  text = Trim(text);
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::string_view digits = text.substr(2);
    if (digits.size() > 32 || !std::all_of(digits.begin(), digits.end(), IsHexDigit)) return "";
    std::string out(32 - digits.size(), '0');
    for (char c : digits) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  }
  if (!allow_decimal || text.empty() || text.size() > 38 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "";
  }
  __extension__ typedef unsigned __int128 U128;
  U128 value = 0;
  for (char c : text) value = value * 10 + static_cast<unsigned>(c - '0');
  std::string out(32, '0');
  for (int i = 31; i >= 0 && value != 0; --i, value >>= 4) out[static_cast<size_t>(i)] = "0123456789ABCDEF"[value & 15];
  return out;
}

// The SQL twin of NormalizeHex for a text column.
std::string NormalizedHexSql(const std::string& raw, bool allow_decimal, bool empty_is_zero) {
  std::string t = "trim(" + raw + ")";
  std::string sql = "CASE ";
  if (empty_is_zero) sql += "WHEN " + raw + " IS NULL OR " + t + " = '' THEN repeat('0', 32) ";
  sql += "WHEN regexp_full_match(" + t + ", '0[xX][0-9a-fA-F]{1,32}') THEN lpad(upper(substr(" + t + ", 3)), 32, '0') ";
  if (allow_decimal) {
    sql += "WHEN regexp_full_match(" + t + ", '[0-9]{1,38}') THEN printf('%032X', TRY_CAST(" + t + " AS UHUGEINT)) ";
  }
  return sql + "END";
}

// "0X" and the hex digits, shortened to the 20 digits of a SQL Server LSN when the rest are zeros.
std::string DisplayHex(const std::string& normalized) {
  if (normalized.size() == 32 && normalized.compare(0, 12, std::string(12, '0')) == 0) return "0X" + normalized.substr(12);
  return "0X" + normalized;
}

class ChangeFeedSource : public RefreshSource {
 public:
  ChangeFeedSource(const Catalog& catalog, const cdm::Entity& table, const cdm::Entity& change)
      : RefreshSource(catalog, table), change_(change) {}

  std::string layout() const override { return "d365-change-feed"; }

  SourceListing List() override {
    for (const cdm::Entity* e : {&entity_, &change_}) {
      if (!e->readable) {
        throw Error(ErrorKind::kData, "entity " + e->schema + "." + e->name + " cannot be read: its metadata has errors",
                    Location{e->manifest, 0, e->name}, "run `cdmlake lake inspect` to see every problem in the lake");
      }
    }
    SourceListing out;
    snapshot_sql_ = EntitySnapshotSql(catalog_, entity_, &out.base);
    std::vector<cdm::Problem> problems;
    std::vector<cdm::Partition> partitions = cdm::ListPartitions(catalog_.resolver(), change_, &problems);
    for (const auto& p : problems) {
      if (p.severity == cdm::Severity::kError) throw Error(ErrorKind::kData, p.message, Location{p.file, p.line, change_.name});
    }
    csv_.clear();
    for (const cdm::Partition& p : partitions) {
      if (p.format != cdm::FileFormat::kCsv) {
        throw Error(ErrorKind::kData, "the change file " + p.location + " is not CSV; change feeds are read as CSV",
                    Location{change_.manifest, 0, change_.name});
      }
      csv_[p.location] = p.csv;
      out.changes.push_back(StampFile(catalog_.fs(), catalog_.lake_root(), p.location));
    }
    std::sort(out.changes.begin(), out.changes.end(), [](const FileStamp& a, const FileStamp& b) { return a.path < b.path; });
    return out;
  }

  RefreshOutput Compute(engine::Connection& connection, const RefreshInput& input) override {
    ResolveColumns();
    RefreshOutput out;
    ReadChanges(connection, input.files);
    CheckRows(connection);
    for (const auto& row : connection.Query("SELECT " + std::string(kFileColumn) + ", count(*) FROM " + RefreshTemp("chg") +
                                            " GROUP BY ALL").FetchAllText()) {
      int64_t n = 0;
      if (row[0] && row[1] && ParseInt64(*row[1], &n)) out.rows_per_file[LakeRelative(catalog_.lake_root(), *row[0])] = n;
    }
    out.change_rows = QueryInt(connection, "SELECT count(*) FROM " + RefreshTemp("chg"));
    std::string above = "true";
    if (input.mode == RefreshMode::kIncremental && input.previous->watermark.contains("lsn")) {
      watermark_lsn_ = input.previous->watermark.at("lsn").get<std::string>();
      watermark_seq_ = input.previous->watermark.at("seq").get<std::string>();
      above = "(" + std::string(kLsn) + " > " + QuoteLiteral(watermark_lsn_) + " OR (" + kLsn + " = " +
              QuoteLiteral(watermark_lsn_) + " AND " + kSeq + " > " + QuoteLiteral(watermark_seq_) + "))";
      CheckNotBackwards(connection, *input.previous, above);
    }
    SetWatermark(connection, input, above, &out);
    PickWinners(connection, above);
    std::string base;
    if (input.mode == RefreshMode::kFull) {
      ExecuteReading(connection, "CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "base AS " + snapshot_sql_,
                     catalog_.fs(), catalog_.lake_root(), SnapshotCsv(), entity_.name, "cannot read the table's snapshot");
      base = RefreshTemp("base");
    } else {
      base = "read_parquet(" + engine::QuoteFilePath(input.previous_table) + ")";
    }
    Count(connection, base, &out);
    const std::string win = RefreshTemp("win");
    out.table_sql = "SELECT " + TypedColumnList(entity_) + " FROM (SELECT " + ColumnList(entity_, "b.") + " FROM " + base +
                    " b ANTI JOIN " + win + " w ON b." + key_ + " = w." + key_ + " UNION ALL SELECT " + ColumnList(entity_) +
                    " FROM " + win + " WHERE " + kAction + " <> 'D') ORDER BY " + key_;
    out.changed_keys_sql = "SELECT DISTINCT " + key_ + " FROM " + win;
    return out;
  }

 private:
  // Finds the change feed's columns and the key; throws Error naming the change entity's document.
  void ResolveColumns() {
    auto missing = [&](const std::string& what) {
      return Error(ErrorKind::kData, "the change entity " + change_.name + " has no " + what + " column",
                   Location{change_.document.empty() ? change_.manifest : change_.document, 0, change_.name},
                   "a D365 change entity has Start_LSN, DML_Action, Seq_Val, the table's columns and "
                   "DataLakeModified_DateTime");
    };
    lsn_ = FindAttributeIndex(change_.attributes, "Start_LSN");
    action_ = FindAttributeIndex(change_.attributes, "DML_Action");
    seq_ = FindAttributeIndex(change_.attributes, "Seq_Val");
    dlm_ = FindAttributeIndex(change_.attributes, "DataLakeModified_DateTime");
    if (lsn_ < 0) throw missing("Start_LSN");
    if (action_ < 0) throw missing("DML_Action");
    const cdm::Attribute* key = FindAttribute(entity_, "RECID");
    if (!key) {
      throw Error(ErrorKind::kData, "the table " + entity_.name + " has no RECID column to apply changes by",
                  Location{entity_.document.empty() ? entity_.manifest : entity_.document, 0, entity_.name});
    }
    key_ = QuoteIdentifier(key->name);
    change_key_ = FindAttributeIndex(change_.attributes, key->name);
    if (change_key_ < 0) throw missing("RECID");
  }

  // The change column that feeds table column `a`, or -1. When merging into a Tables-shaped target, the EDL
  // compatibility columns map as FastTrack's scripts do: _SysRowId = RECID, LSN = Start_LSN.
  int SourceIndex(const cdm::Attribute& a) const {
    int j = FindAttributeIndex(change_.attributes, a.name);
    if (j >= 0) return j;
    if (EqualsIgnoreCase(a.name, "_SysRowId")) return change_key_;
    if (EqualsIgnoreCase(a.name, "LSN")) return lsn_;
    return -1;
  }

  std::string ReadType(const cdm::Attribute& c) const {
    if (IsCdcColumn(c.name)) return "VARCHAR";
    const cdm::Attribute* a = FindAttribute(entity_, c.name);
    return a ? a->SqlType() : "VARCHAR";
  }

  // The SELECT over one group of change files (all `width` fields wide).
  std::string GroupSelect(const SourceGroup& group) const {
    const size_t all = change_.attributes.size();
    const size_t width = group.width < 0 || static_cast<size_t>(group.width) > all ? all : static_cast<size_t>(group.width);
    std::vector<CsvColumn> columns;
    for (size_t i = 0; i < width; ++i) columns.push_back({change_.attributes[i].name, ReadType(change_.attributes[i])});
    auto raw = [&](int i) {
      return i >= 0 && static_cast<size_t>(i) < width ? QuoteIdentifier(change_.attributes[static_cast<size_t>(i)].name)
                                                      : std::string("CAST(NULL AS VARCHAR)");
    };
    std::string select = "SELECT " + raw(lsn_) + " AS " + kLsnRaw + ", " + raw(seq_) + " AS " + kSeqRaw + ", " +
                         raw(action_) + " AS " + kActionRaw + ", " + raw(dlm_) + " AS " + kDlmRaw + ", " + kFileColumn;
    for (const cdm::Attribute& a : entity_.attributes) {
      int j = SourceIndex(a);
      std::string value = "CAST(NULL AS " + a.SqlType() + ")";
      if (j >= 0 && static_cast<size_t>(j) < width) {
        const cdm::Attribute& c = change_.attributes[static_cast<size_t>(j)];
        std::string column = QuoteIdentifier(c.name);
        if (ReadType(c) != a.SqlType()) column = "CAST(" + column + " AS " + a.SqlType() + ")";
        value = ColumnValueSql(entity_, a, column);
      }
      select += ", " + value + " AS " + QuoteIdentifier(a.name);
    }
    return select + " FROM " + ReadCsvSql(group.files, columns, group.csv, false);
  }

  // Reads the change files into the temp table chg, with the normalized LSN, Seq_Val, action and timestamp.
  void ReadChanges(engine::Connection& connection, const std::vector<FileStamp>& files) {
    std::vector<std::pair<std::string, cdm::CsvFormat>> list;
    for (const FileStamp& f : files) list.emplace_back(f.path, csv_.at(f.path));
    std::vector<SourceGroup> groups =
        GroupSourceFiles(ProbeSourceFiles(catalog_.fs(), catalog_.lake_root(), list), catalog_.lake_root(), true);
    std::string changes;
    for (const SourceGroup& g : groups) changes += (changes.empty() ? "" : " UNION ALL ") + GroupSelect(g);
    if (changes.empty()) {
      changes = "SELECT NULL::VARCHAR AS " + std::string(kLsnRaw) + ", NULL::VARCHAR AS " + kSeqRaw + ", NULL::VARCHAR AS " +
                kActionRaw + ", NULL::VARCHAR AS " + kDlmRaw + ", NULL::VARCHAR AS " + kFileColumn;
      for (const cdm::Attribute& a : entity_.attributes) {
        changes += ", CAST(NULL AS " + a.SqlType() + ") AS " + QuoteIdentifier(a.name);
      }
      changes += " WHERE false";
    }
    const std::string action = "upper(trim(" + std::string(kActionRaw) + "))";
    std::string sql = "CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "chg AS SELECT *, " +
                      NormalizedHexSql(kLsnRaw, false, false) + " AS " + kLsn + ", " +
                      NormalizedHexSql(kSeqRaw, true, true) + " AS " + kSeq + ", CASE WHEN " + kActionRaw +
                      " IS NULL OR " + action + " = '' THEN 'U' WHEN " + action + " IN ('1', 'DELETE') THEN 'D' WHEN " +
                      action + " IN ('2', 'INSERT') THEN 'I' WHEN " + action + " IN ('3', 'BEFORE_UPDATE') THEN 'B' WHEN " +
                      action + " IN ('4', 'AFTER_UPDATE') THEN 'U' END AS " + kAction + ", TRY_CAST(" + kDlmRaw +
                      " AS TIMESTAMP) AS " + kDlm + " FROM (" + changes + ")";
    ExecuteReading(connection, sql, catalog_.fs(), catalog_.lake_root(), groups.empty() ? cdm::CsvFormat{} : groups[0].csv,
                   entity_.name, "cannot read the change file");
  }

  // Fails on the first change row whose LSN, Seq_Val, action, timestamp or key is not usable.
  void CheckRows(engine::Connection& connection) {
    const std::string key_ref = key_;
    std::string sql = std::string("SELECT ") + kFileColumn + ", problem, CASE problem WHEN 'lsn' THEN " + kLsnRaw +
                      " WHEN 'seq' THEN " + kSeqRaw + " WHEN 'action' THEN " + kActionRaw + " WHEN 'dlm' THEN " + kDlmRaw +
                      " END FROM (SELECT *, CASE WHEN " + kLsn + " IS NULL THEN 'lsn' WHEN " + kSeq +
                      " IS NULL THEN 'seq' WHEN " + kAction + " IS NULL THEN 'action' WHEN " + kDlm + " IS NULL AND " +
                      kDlmRaw + " IS NOT NULL AND trim(" + kDlmRaw + ") <> '' THEN 'dlm' WHEN " + kAction +
                      " <> 'B' AND " + key_ref + " IS NULL THEN 'key' END AS problem FROM " + RefreshTemp("chg") +
                      ") WHERE problem IS NOT NULL ORDER BY " + kFileColumn + " LIMIT 1";
    auto row = FirstRow(connection, sql);
    if (row.empty()) return;
    const std::string file = row[0].value_or("");
    const std::string problem = row[1].value_or("");
    const std::optional<std::string> raw = row[2];
    const std::map<std::string, int> columns = {{"lsn", lsn_}, {"seq", seq_}, {"action", action_}, {"dlm", dlm_}};
    const int column = columns.count(problem) ? columns.at(problem) : change_key_;
    int64_t line = FindRecordLine(catalog_.fs(), file, csv_.count(LakeRelative(catalog_.lake_root(), file))
                                                           ? csv_.at(LakeRelative(catalog_.lake_root(), file))
                                                           : cdm::CsvFormat{},
                                  [&](const std::vector<CsvField>& fields) {
                                    if (static_cast<size_t>(column) >= fields.size()) return !raw.has_value();
                                    const CsvField& f = fields[static_cast<size_t>(column)];
                                    return raw ? f.text == *raw : (f.text.empty() && !f.quoted);
                                  });
    std::string value = raw.value_or("");
    std::string message, hint;
    if (problem == "lsn") {
      message = "Start_LSN '" + value + "' is not a hexadecimal LSN such as 0X00011E9F00000FB00001";
    } else if (problem == "seq") {
      message = "Seq_Val '" + value + "' is neither hexadecimal (0X...) nor a decimal number";
    } else if (problem == "action") {
      message = "unknown DML_Action '" + value + "'";
      hint = "DML_Action must be 1 (DELETE), 2 (INSERT), 3 (BEFORE_UPDATE, ignored) or 4 (AFTER_UPDATE), as the "
             "number or the name";
    } else if (problem == "dlm") {
      message = "DataLakeModified_DateTime '" + value + "' is not a date and time";
    } else {
      message = "a change row has no RECID";
    }
    throw Error(ErrorKind::kData, "bad change row: " + message,
                Location{LakeRelative(catalog_.lake_root(), file), line, entity_.name},
                hint.empty() ? "fix or remove the row; the table keeps its previous state until the refresh succeeds" : hint);
  }

  // Rows at or below the watermark were applied by an earlier refresh. A file read again (it grew) holds
  // exactly as many as it had then; any other such row arrived late, which means the feed went backwards.
  void CheckNotBackwards(engine::Connection& connection, const RefreshState& previous, const std::string& above) {
    std::map<std::string, int64_t> applied;
    for (const FileStamp& s : previous.applied) applied[s.path] = s.rows;
    auto rows = connection.Query(std::string("SELECT ") + kFileColumn + ", count(*) FILTER (WHERE NOT " + above + ") FROM " +
                                 RefreshTemp("chg") + " GROUP BY ALL ORDER BY 1").FetchAllText();
    for (const auto& row : rows) {
      int64_t old_rows = 0;
      if (!row[0] || !row[1] || !ParseInt64(*row[1], &old_rows)) continue;
      const std::string relative = LakeRelative(catalog_.lake_root(), *row[0]);
      int64_t known = applied.count(relative) ? std::max<int64_t>(applied[relative], 0) : 0;
      if (old_rows <= known) continue;
      std::string lsn_text;
      const size_t lsn = static_cast<size_t>(lsn_);
      int64_t line = FindRecordLine(
          catalog_.fs(), *row[0], csv_.at(relative),
          [&](const std::vector<CsvField>& fields) {
            std::string l = lsn < fields.size() ? NormalizeHex(fields[lsn].text, false) : "";
            std::string s = SeqOf(fields);
            bool below = l < watermark_lsn_ || (l == watermark_lsn_ && s <= watermark_seq_);
            if (below && lsn < fields.size()) lsn_text = fields[lsn].text;
            return below;
          },
          known);
      throw Error(ErrorKind::kData,
                  "the change feed went backwards: Start_LSN " + (lsn_text.empty() ? std::string("?") : lsn_text) +
                      " is not after the watermark " + DisplayHex(watermark_lsn_) + " (Seq_Val " +
                      DisplayHex(watermark_seq_) + ") of the last refresh",
                  Location{relative, line, entity_.name},
                  "changes at or below the watermark were already applied; if the feed was re-initialized, remove "
                  "the table's refresh state (" + RefreshStateFolder(entity_.schema, entity_.name) + ") to rebuild it");
    }
  }

  // The normalized Seq_Val of a record as the scanner reads it (empty or missing: zero).
  std::string SeqOf(const std::vector<CsvField>& fields) const {
    if (seq_ < 0 || static_cast<size_t>(seq_) >= fields.size()) return std::string(32, '0');
    const std::string& text = fields[static_cast<size_t>(seq_)].text;
    return Trim(text).empty() ? std::string(32, '0') : NormalizeHex(text, true);
  }

  void SetWatermark(engine::Connection& connection, const RefreshInput& input, const std::string& above, RefreshOutput* out) {
    auto row = FirstRow(connection, std::string("SELECT ") + kLsn + ", " + kSeq + " FROM " + RefreshTemp("chg") + " WHERE " +
                                        above + " ORDER BY 1 DESC, 2 DESC LIMIT 1");
    if (!row.empty() && row[0] && row[1]) {
      out->watermark = {{"lsn", *row[0]}, {"seq", *row[1]}};
    } else if (input.previous) {
      out->watermark = input.previous->watermark;
    }
    if (out->watermark.contains("lsn")) {
      out->watermark_text = DisplayHex(out->watermark["lsn"].get<std::string>()) + " seq " +
                            DisplayHex(out->watermark["seq"].get<std::string>());
    }
  }

  // The winning change per key among the rows to apply, into the temp table win.
  void PickWinners(engine::Connection& connection, const std::string& above) {
    std::string tiebreak;
    for (const cdm::Attribute& a : entity_.attributes) tiebreak += ", " + QuoteIdentifier(a.name) + " ASC NULLS FIRST";
    connection.Execute("CREATE OR REPLACE TEMP TABLE " + std::string(kRefreshTempPrefix) + "win AS SELECT * FROM " +
                       RefreshTemp("chg") + " WHERE " + kAction + " <> 'B' AND " + above +
                       " QUALIFY row_number() OVER (PARTITION BY " + key_ + " ORDER BY " + kLsn + " DESC, " + kSeq +
                       " DESC, " + kDlm + " DESC NULLS LAST, " + kFileColumn + " DESC, " + kAction + " DESC" + tiebreak +
                       ") = 1");
  }

  void Count(engine::Connection& connection, const std::string& base, RefreshOutput* out) {
    auto row = FirstRow(connection, "SELECT (SELECT count(*) FROM " + base + "), count(*) FILTER (WHERE w." + kAction +
                                        " <> 'D' AND b.k IS NULL), count(*) FILTER (WHERE w." + kAction +
                                        " <> 'D' AND b.k IS NOT NULL), count(*) FILTER (WHERE w." + kAction +
                                        " = 'D' AND b.k IS NOT NULL) FROM " + RefreshTemp("win") +
                                        " w LEFT JOIN (SELECT DISTINCT " + key_ + " AS k FROM " + base + " WHERE " + key_ +
                                        " IN (SELECT " + key_ + " FROM " + RefreshTemp("win") + ")) b ON w." + key_ +
                                        " = b.k");  // only the changed keys of the state: a 1% refresh reads 1%
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

  const cdm::Entity& change_;
  std::string snapshot_sql_;
  std::map<std::string, cdm::CsvFormat> csv_;  // lake-relative change file -> its settings
  int lsn_ = -1, action_ = -1, seq_ = -1, dlm_ = -1, change_key_ = -1;
  std::string key_;  // the quoted RECID column
  std::string watermark_lsn_, watermark_seq_;
};

}  // namespace

std::vector<std::unique_ptr<RefreshSource>> FindChangeFeedSources(const Catalog& catalog) {
  std::vector<std::unique_ptr<RefreshSource>> out;
  for (const cdm::RootDocument& tables : catalog.roots()) {
    if (!EqualsIgnoreCase(BaseName(tables.path), "Tables.manifest.cdm.json")) continue;
    const std::string environment = DirName(DirName(tables.path));
    for (const cdm::RootDocument& feed : catalog.roots()) {
      if (!EqualsIgnoreCase(BaseName(feed.path), "ChangeFeed.manifest.cdm.json") ||
          DirName(DirName(feed.path)) != environment) {
        continue;
      }
      for (const cdm::Entity& table : tables.entities) {
        for (const cdm::Entity& change : feed.entities) {
          if (EqualsIgnoreCase(change.name, table.name)) {
            out.push_back(std::make_unique<ChangeFeedSource>(catalog, table, change));
            break;
          }
        }
      }
    }
  }
  return out;
}

}  // namespace cdmlake::lake
