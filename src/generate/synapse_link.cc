#include "generate/synapse_link.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "generate/change_format.h"
#include "generate/d365_lake.h"
#include "generate/random.h"
#include "util/error.h"
#include "util/path.h"

namespace cdmlake::generate {

namespace {

using Json = nlohmann::ordered_json;

constexpr uint64_t kSynapseStream = 0x5E1A'0000;
constexpr const char* kAddedColumn = "owningbusinessunitname";
constexpr const char* kUrlBase = "https://cdmlakesynapse.dfs.core.windows.net/dataverse-cdmlake-unq1/";
constexpr int kFolders = 4;  // initial sync, batch 1, batch 2 (adds the column), in progress

const int64_t kFolderTimes[kFolders] = {UnixSeconds(2024, 6, 15, 10), UnixSeconds(2024, 6, 15, 11),
                                         UnixSeconds(2024, 6, 15, 12), UnixSeconds(2024, 6, 15, 13)};
const char* const kFolderNames[kFolders] = {"2024-06-15T10.00.00Z", "2024-06-15T11.00.00Z", "2024-06-15T12.00.00Z",
                                            "2024-06-15T13.00.00Z"};
constexpr int kAddedInFolder = 2;
constexpr int kInProgress = 3;

// A stable 64-bit hash of a table name (FNV-1a).
uint64_t NameHash(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One appended row of a table.
struct SynapseRow {
  int64_t key = 0;
  int64_t version = 0;
  int64_t modified = 0;  // unix seconds
  int64_t created = 0;
  bool deleted = false;
  std::vector<std::string> fields;  // the table's columns (empty for a delete)
  bool wide = false;                // written with the column added later
  std::string extra;                // its raw value
};

// Everything written for one table: rows per folder and file, in write order.
struct TablePlan {
  TableSnapshot table;
  std::string name;  // lower case
  std::map<std::string, std::vector<SynapseRow>> files[kFolders];
};

class Writer {
 public:
  Writer(const ChangeScript& script, uint64_t seed)
      : script_(script), seed_(seed), id_salt_(NameHash(script.table.name)),
        rng_(Random::Derive(seed, kSynapseStream, id_salt_)) {}

  TablePlan Plan() {
    TablePlan plan;
    plan.table = script_.table;
    plan.name = Lower(script_.table.name);
    InitialSync(&plan);
    for (int batch = 1; batch <= 2; ++batch) Changes(&plan, batch);
    StaleRows(&plan);
    InProgress(&plan);
    return plan;
  }

  std::string IdOf(int64_t key) const {
    Random r = Random::Derive(seed_, kSynapseStream + 1, id_salt_ ^ static_cast<uint64_t>(key));
    uint64_t high = r.Next();
    return GuidText(high, r.Next());
  }

 private:
  void Emit(TablePlan* plan, int folder, const std::string& file, SynapseRow row) {
    if (folder < kInProgress) emitted_[row.key].push_back({folder, row});
    plan->files[folder][file].push_back(std::move(row));
  }

  void InitialSync(TablePlan* plan) {
    const auto& rows = script_.table.rows;
    const int64_t n = static_cast<int64_t>(rows.size());
    for (int64_t i = 0; i < n; ++i) {
      SynapseRow row;
      row.key = script_.table.KeyOf(rows[static_cast<size_t>(i)]);
      row.version = ++version_;
      row.modified = row.created = kFolderTimes[0] + i * 3500 / n;
      row.fields = rows[static_cast<size_t>(i)];
      created_[row.key] = row.created;
      Emit(plan, 0, i < n / 2 ? "2023.csv" : "2024.csv", std::move(row));
    }
  }

  void Changes(TablePlan* plan, int batch) {
    std::vector<const ChangeEvent*> events;
    for (const ChangeEvent& e : script_.events) {
      if (e.batch == batch) events.push_back(&e);
    }
    const int64_t m = static_cast<int64_t>(events.size());
    for (int64_t j = 0; j < m; ++j) {
      const ChangeEvent& e = *events[static_cast<size_t>(j)];
      SynapseRow row;
      row.key = e.key;
      row.version = ++version_;
      row.modified = kFolderTimes[batch] + j * 3500 / (m + 1);
      if (e.kind == ChangeKind::kInsert) created_[e.key] = row.modified;
      row.created = created_[e.key];
      row.deleted = e.kind == ChangeKind::kDelete;
      if (!row.deleted) row.fields = e.row;
      // The column is added while batch 2 is written: its first rows are narrower than the folder's schema.
      if (batch == kAddedInFolder && j >= m * 3 / 10) {
        row.wide = true;
        if (!row.deleted && rng_.Chance(0.8)) row.extra = QuoteCsv("BU-" + std::to_string(rng_.Range(1, 40)));
      }
      bool duplicate = rng_.Chance(0.03);
      SynapseRow copy = row;
      Emit(plan, batch, "2024.csv", std::move(row));
      if (duplicate) Emit(plan, batch, "2024.csv", std::move(copy));
      if (batch == 2) changed_in_batch_two_.insert(e.key);
    }
  }

  // Earlier versions arriving after the newer ones: deletes of batch 1 (also of keys inserted again in batch 2),
  // the initial rows of keys deleted in batch 1, and some batch 1 updates of keys that changed again.
  void StaleRows(TablePlan* plan) {
    std::vector<SynapseRow> stale;
    for (const auto& [key, history] : emitted_) {
      const SynapseRow* initial = nullptr;
      for (const auto& [folder, row] : history) {
        if (folder == 0 && !initial) initial = &row;
        if (folder != 1) continue;
        if (row.deleted) {
          stale.push_back(row);
          if (initial) stale.push_back(*initial);
        } else if (changed_in_batch_two_.count(key) && rng_.Chance(0.3)) {
          stale.push_back(row);
        }
      }
    }
    for (SynapseRow& row : stale) plan->files[2]["2024.csv"].push_back(std::move(row));
  }

  // Rows of the folder still being written: deletes and an update that no refresh may apply yet.
  void InProgress(TablePlan* plan) {
    int n = 0;
    for (const auto& row : script_.table.rows) {
      if (n++ == 5) break;
      SynapseRow d;
      d.key = script_.table.KeyOf(row);
      d.version = ++version_ + 1'000'000;
      d.modified = kFolderTimes[kInProgress] + n;
      d.deleted = true;
      d.wide = true;
      plan->files[kInProgress]["2024.csv"].push_back(std::move(d));
    }
  }

  const ChangeScript& script_;
  uint64_t seed_;
  uint64_t id_salt_;
  Random rng_;
  int64_t version_ = 1000;
  std::map<int64_t, int64_t> created_;
  std::map<int64_t, std::vector<std::pair<int, SynapseRow>>> emitted_;
  std::set<int64_t> changed_in_batch_two_;
};

std::string RowText(const SynapseRow& row, const std::string& id, size_t columns) {
  std::string text = id + "," + (row.deleted ? "" : QuoteCsv(UsDateTime(row.created))) + "," +
                     QuoteCsv(UsDateTime(row.modified)) + ",";
  for (size_t i = 0; i < columns; ++i) text += (row.deleted ? std::string() : row.fields[i]) + ",";
  text += std::to_string(row.version) + "," + (row.deleted ? "" : IsoDateTimeOffset(row.created)) + "," +
          IsoDateTimeOffset(row.modified) + "," + (row.deleted ? "True" : "");
  if (row.wide) text += "," + row.extra;
  return text + "\n";
}

// The expected current state: per Id the row with the highest (versionnumber, SinkModifiedOn), a later one
// winning a tie, over the finalized folders in order; deleted Ids left out.
std::map<std::string, std::string> TruthRows(const TablePlan& plan, const Writer& writer) {
  std::map<int64_t, const SynapseRow*> winners;
  for (int folder = 0; folder < kInProgress; ++folder) {
    for (const auto& [file, rows] : plan.files[folder]) {
      for (const SynapseRow& row : rows) {
        auto it = winners.find(row.key);
        if (it == winners.end() || std::pair(row.version, row.modified) >= std::pair(it->second->version, it->second->modified)) {
          winners[row.key] = &row;
        }
      }
    }
  }
  std::map<std::string, std::string> out;  // by Id
  for (const auto& [key, row] : winners) {
    if (row->deleted) continue;
    const std::string id = writer.IdOf(key);
    std::string text = id + "," + IsoDateTime(row->created) + "," + IsoDateTime(row->modified) + ",";
    for (const std::string& f : row->fields) text += f + ",";
    text += std::to_string(row->version) + "," + IsoDateTimeOffset(row->created) + "," + IsoDateTimeOffset(row->modified) +
            ",," + (row->wide ? row->extra : "") + "\n";
    out[id] = std::move(text);
  }
  return out;
}

Json Attribute(const std::string& name, const std::string& type, int max_length = -1) {
  return {{"name", name}, {"dataType", type}, {"maxLength", max_length}};
}

Json EntityJson(const TablePlan& plan, bool with_added, const std::vector<std::string>& files, const std::string& folder) {
  Json attributes = Json::array({Attribute("Id", "guid"), Attribute("SinkCreatedOn", "dateTime"),
                                 Attribute("SinkModifiedOn", "dateTime")});
  for (const SnapshotColumn& c : plan.table.columns) {
    std::string type = c.data_format == "String"    ? "string"
                       : c.data_format == "Decimal"  ? "decimal"
                       : c.data_format == "DateTime" ? "dateTime"
                                                     : "int64";
    attributes.push_back(Attribute(Lower(c.name), type, type == "string" ? c.max_length : -1));
  }
  attributes.push_back(Attribute("versionnumber", "int64"));
  attributes.push_back(Attribute("createdon", "dateTimeOffset"));
  attributes.push_back(Attribute("modifiedon", "dateTimeOffset"));
  attributes.push_back(Attribute("IsDelete", "boolean"));
  if (with_added) attributes.push_back(Attribute(kAddedColumn, "string", 4000));
  Json partitions = Json::array();
  for (const std::string& f : files) {
    partitions.push_back({{"name", f.substr(0, f.size() - 4)},
                          {"location", kUrlBase + folder + "/" + plan.name + "/" + f},
                          {"fileFormatSettings",
                           {{"$type", "CsvFormatSettings"},
                            {"columnHeaders", false},
                            {"delimiter", ","},
                            {"quoteStyle", "QuoteStyle.Csv"},
                            {"csvStyle", "CsvStyle.QuoteAlways"},
                            {"encoding", "UTF-8"}}}});
  }
  return {{"$type", "LocalEntity"},
          {"name", plan.name},
          {"description", plan.name},
          {"annotations", Json::array({{{"name", "Athena:PartitionGranularity"}, {"value", "Year"}},
                                       {{"name", "Athena:InitialSyncState"}, {"value", "Completed"}}})},
          {"attributes", attributes},
          {"partitions", partitions}};
}

std::string ModelJson(const std::vector<TablePlan>& plans, int folder) {
  Json entities = Json::array();
  for (const TablePlan& plan : plans) {
    std::vector<std::string> files;
    if (folder >= 0) {
      for (const auto& [file, rows] : plan.files[folder]) files.push_back(file);
    }
    entities.push_back(EntityJson(plan, folder < 0 || folder >= kAddedInFolder, files, folder < 0 ? "" : kFolderNames[folder]));
  }
  Json model = {{"name", "cdm"},
                {"description", "cdm"},
                {"version", "1.0"},
                {"culture", "en-US"},
                {"modifiedTime", "2024-06-15T12:59:00.0000000+00:00"},
                {"entities", entities}};
  return model.dump(2) + "\n";
}

uint64_t WriteText(FileSystem& fs, const std::string& path, const std::string& text) {
  fs.CreateDirectories(DirName(path));
  fs.WriteFileAtomic(path, text);
  return text.size();
}

}  // namespace

SynapseLinkSummary GenerateSynapseLinkLake(FileSystem& fs, const SynapseLinkOptions& options, Progress* progress) {
  if (options.out_dir.empty() || options.out_dir.front() != '/') {
    throw Error(ErrorKind::kUser, "the output directory must be an absolute path, got '" + options.out_dir + "'");
  }
  if (options.changes.percent < 1 || options.changes.percent > 100) {
    throw Error(ErrorKind::kUser,
                "--changes must be a percentage from 1 to 100, got " + std::to_string(options.changes.percent));
  }
  // The tables Synapse Link would export: the D365 generator's, made in memory.
  MemoryFileSystem memory;
  const std::string source = "/d365";
  D365LakeSummary lake = GenerateD365Lake(memory, D365LakeOptions{source, options.scale, options.seed}, progress);
  std::vector<TablePlan> plans;
  std::vector<Writer> writers;
  std::vector<ChangeScript> scripts;
  writers.reserve(options.changes.tables.size());
  for (const std::string& name : options.changes.tables) {
    auto it = std::find_if(lake.tables.begin(), lake.tables.end(), [&](const GeneratedTable& t) { return t.name == name; });
    if (it == lake.tables.end()) throw Error(ErrorKind::kUser, "the generated lake has no table " + name);
    scripts.push_back(PlanChanges(ReadGeneratedTable(memory, source, *it), options.changes.percent, options.seed));
  }
  SynapseLinkSummary summary;
  const std::string root = NormalizePath(options.out_dir);
  for (const ChangeScript& script : scripts) {
    writers.emplace_back(script, options.seed);
    plans.push_back(writers.back().Plan());
  }
  for (int folder = 0; folder < kFolders; ++folder) {
    const std::string dir = JoinPath(root, kFolderNames[folder]);
    for (size_t t = 0; t < plans.size(); ++t) {
      for (const auto& [file, rows] : plans[t].files[folder]) {
        std::string text;
        for (const SynapseRow& row : rows) text += RowText(row, writers[t].IdOf(row.key), plans[t].table.columns.size());
        summary.bytes_written += WriteText(fs, JoinPath(dir, plans[t].name + "/" + file), text);
      }
    }
    // The folder being written has an empty model.json until it is finalized.
    summary.bytes_written += WriteText(fs, JoinPath(dir, "model.json"), folder == kInProgress ? "" : ModelJson(plans, folder));
    summary.folders.push_back(kFolderNames[folder]);
  }
  summary.in_progress = kFolderNames[kInProgress];
  summary.bytes_written += WriteText(fs, JoinPath(root, "Changelog/changelog.info"), summary.in_progress);
  summary.bytes_written += WriteText(fs, JoinPath(root, "model.json"), ModelJson(plans, -1));
  for (size_t t = 0; t < plans.size(); ++t) {
    SynapseLinkTableSummary table{plans[t].name, 0, 0};
    for (const auto& folder : plans[t].files) {
      for (const auto& [file, rows] : folder) table.rows_written += static_cast<int64_t>(rows.size());
    }
    std::string truth;
    for (const auto& [id, text] : TruthRows(plans[t], writers[t])) {
      truth += text;
      ++table.final_rows;
    }
    summary.bytes_written += WriteText(fs, JoinPath(root, "_truth/" + plans[t].name + ".csv"), truth);
    summary.tables.push_back(std::move(table));
  }
  return summary;
}

}  // namespace cdmlake::generate
