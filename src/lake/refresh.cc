#include "lake/refresh.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include "engine/quote.h"
#include "lake/discovery.h"
#include "lake/refresh_source.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

std::vector<std::unique_ptr<RefreshSource>> AllSources(const Catalog& catalog, const RefreshOptions& options) {
  int64_t now = options.now_unix_seconds >= 0 ? options.now_unix_seconds : static_cast<int64_t>(std::time(nullptr));
  std::vector<std::unique_ptr<RefreshSource>> all = FindChangeFeedSources(catalog);
  for (auto& s : FindSynapseLinkSources(catalog)) all.push_back(std::move(s));
  for (auto& s : FindIncrementalPartitionSources(catalog, now)) all.push_back(std::move(s));
  // An entity has one state: when two layouts claim it, the first found (in the order above) keeps it.
  std::vector<std::unique_ptr<RefreshSource>> out;
  std::set<const cdm::Entity*> seen;
  for (auto& s : all) {
    if (seen.insert(&s->entity()).second) out.push_back(std::move(s));
  }
  return out;
}

bool Selected(const RefreshSource& source, const std::string& name) {
  const cdm::Entity& e = source.entity();
  return EqualsIgnoreCase(name, e.schema + "." + e.name) || EqualsIgnoreCase(name, e.name);
}

// The sources that options.tables selects (all when empty); throws Error(kUser) for a name that selects none.
std::vector<std::unique_ptr<RefreshSource>> SelectSources(const Catalog& catalog, const RefreshOptions& options) {
  std::vector<std::unique_ptr<RefreshSource>> all = AllSources(catalog, options);
  if (options.tables.empty()) return all;
  std::vector<std::string> names;
  for (const auto& s : all) names.push_back(s->entity().schema + "." + s->entity().name);
  for (const std::string& name : options.tables) {
    bool any = std::any_of(all.begin(), all.end(), [&](const auto& s) { return Selected(*s, name); });
    if (!any) {
      throw Error(ErrorKind::kUser, "the table " + name + " has no incremental source to refresh from",
                  Location{}, names.empty() ? "the lake has no change feed, Synapse Link folders or incremental partitions"
                                            : "refreshable tables: " + Join(names, ", "));
    }
  }
  std::vector<std::unique_ptr<RefreshSource>> out;
  for (auto& s : all) {
    if (std::any_of(options.tables.begin(), options.tables.end(), [&](const std::string& n) { return Selected(*s, n); })) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

void DropTempTables(engine::Connection& connection) {
  auto rows = connection.Query("SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, " +
                               engine::QuoteLiteral(kRefreshTempPrefix) + ")").FetchAllText();
  for (const auto& row : rows) {
    if (row[0]) connection.Execute("DROP TABLE IF EXISTS temp.main." + engine::QuoteIdentifier(*row[0]));
  }
}

bool SameStamps(const std::vector<FileStamp>& a, const std::vector<FileStamp>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].path != b[i].path || !a[i].SameContent(b[i])) return false;
  }
  return true;
}

// How to refresh, and which change files to read, given the previous state and the files there are now.
struct Plan {
  RefreshMode mode = RefreshMode::kFull;
  bool up_to_date = false;
  std::vector<FileStamp> files;
  std::string reason;  // why a state that exists is rebuilt
};

Plan MakePlan(const RefreshSource& source, const std::optional<RefreshState>& previous, const SourceListing& listing) {
  Plan plan;
  plan.files = listing.changes;
  if (!previous) return plan;
  if (previous->layout != source.layout()) {
    plan.reason = "the layout changed";
  } else if (previous->columns != ColumnSignature(source.entity())) {
    plan.reason = "the table's columns changed";
  } else if (!SameStamps(previous->base, listing.base)) {
    plan.reason = "the snapshot changed";
  }
  std::map<std::string, const FileStamp*> now;
  for (const FileStamp& f : listing.changes) now[f.path] = &f;
  std::vector<FileStamp> read;
  for (const FileStamp& applied : previous->applied) {
    auto it = now.find(applied.path);
    if (!plan.reason.empty()) break;
    if (it == now.end()) {
      plan.reason = "the change file " + applied.path + " was removed";
    } else if (it->second->size < applied.size) {
      plan.reason = "the change file " + applied.path + " shrank";
    } else if (!it->second->SameContent(applied)) {
      if (source.RebuildWhenAppliedFileChanges()) plan.reason = "the change file " + applied.path + " changed";
      read.push_back(*it->second);
    }
    if (it != now.end()) now.erase(it);
  }
  if (!plan.reason.empty()) return plan;
  for (const auto& [path, stamp] : now) read.push_back(*stamp);
  std::sort(read.begin(), read.end(), [](const FileStamp& a, const FileStamp& b) { return a.path < b.path; });
  plan.mode = RefreshMode::kIncremental;
  plan.up_to_date = read.empty();
  plan.files = std::move(read);
  return plan;
}

// The applied list of the new state: the files applied before (incremental) with the ones read now.
std::vector<FileStamp> AppliedFiles(const Plan& plan, const std::optional<RefreshState>& previous,
                                    const RefreshOutput& output) {
  std::map<std::string, FileStamp> out;
  if (plan.mode == RefreshMode::kIncremental) {
    for (const FileStamp& f : previous->applied) out[f.path] = f;
  }
  for (FileStamp f : plan.files) {
    auto it = output.rows_per_file.find(f.path);
    f.rows = it == output.rows_per_file.end() ? 0 : it->second;
    out[f.path] = f;
  }
  std::vector<FileStamp> list;
  for (auto& [path, f] : out) list.push_back(std::move(f));
  return list;
}

void RefreshOne(engine::Connection& connection, RefreshSource& source, TableRefreshResult* result) {
  const Catalog& catalog = source.catalog();
  const cdm::Entity& entity = source.entity();
  FileSystem& fs = catalog.fs();
  const std::string folder = JoinPath(catalog.lake_root(), RefreshStateFolder(entity.schema, entity.name));
  std::optional<RefreshState> previous;
  try {
    previous = LoadRefreshState(fs, folder);
  } catch (const Error& e) {
    // Our own file: rebuilding it is the repair.
    result->notes.push_back(e.message() + "; rebuilding");
  }
  SourceListing listing = source.List();
  result->notes.insert(result->notes.end(), listing.notes.begin(), listing.notes.end());
  Plan plan = MakePlan(source, previous, listing);
  if (plan.up_to_date) {
    result->status = RefreshStatus::kUpToDate;
    result->rows_before = result->rows_after = previous->rows;
    result->watermark = previous->watermark_text;
    return;
  }
  if (!plan.reason.empty()) result->notes.push_back("rebuilt: " + plan.reason);
  RefreshInput input;
  input.mode = plan.mode;
  input.files = plan.files;
  if (plan.mode == RefreshMode::kIncremental) {
    input.previous = &*previous;
    input.previous_table = JoinPath(folder, previous->table);
    if (!previous->tombstones.empty()) input.previous_tombstones = JoinPath(folder, previous->tombstones);
  }
  RefreshOutput output = source.Compute(connection, input);
  RefreshState state;
  state.layout = source.layout();
  state.entity = entity.schema + "." + entity.name;
  state.generation = previous ? previous->generation : 0;
  state.columns = ColumnSignature(entity);
  state.watermark = output.watermark;
  state.watermark_text = output.watermark_text;
  state.base = listing.base;
  state.applied = AppliedFiles(plan, previous, output);
  // The change log continues only from the previous generation, and only as far as the layout names its keys.
  if (plan.mode == RefreshMode::kIncremental) {
    state.changes = previous->changes;
    state.change_log = previous->change_log;
  }
  state.rows = CommitRefreshState(connection, fs, folder, output.table_sql, output.tombstones_sql, &state,
                                  plan.mode == RefreshMode::kIncremental ? output.changed_keys_sql : "");
  result->status = plan.mode == RefreshMode::kFull ? RefreshStatus::kRebuilt : RefreshStatus::kRefreshed;
  result->rows_before = output.rows_before;
  result->rows_after = state.rows;
  result->inserted = output.inserted;
  result->updated = output.updated;
  result->deleted = output.deleted;
  result->change_rows = output.change_rows;
  result->change_files = static_cast<int64_t>(plan.files.size());
  result->watermark = output.watermark_text;
}

}  // namespace

const char* RefreshStatusName(RefreshStatus status) {
  switch (status) {
    case RefreshStatus::kUpToDate: return "up to date";
    case RefreshStatus::kRefreshed: return "refreshed";
    case RefreshStatus::kRebuilt: return "rebuilt";
    case RefreshStatus::kFailed: return "failed";
  }
  return "?";
}

std::vector<TableRefreshResult> RefreshLake(engine::Connection& connection, const Catalog& catalog,
                                            const RefreshOptions& options) {
  std::vector<TableRefreshResult> results;
  for (const auto& source : SelectSources(catalog, options)) {
    TableRefreshResult result;
    result.schema = source->entity().schema;
    result.entity = source->entity().name;
    result.layout = source->layout();
    auto start = std::chrono::steady_clock::now();
    try {
      RefreshOne(connection, *source, &result);
    } catch (const Error& e) {
      result.status = RefreshStatus::kFailed;
      result.error = e;
    } catch (const std::exception& e) {
      result.status = RefreshStatus::kFailed;
      result.error = Error(ErrorKind::kInternal, e.what(), Location{"", 0, result.entity});
    }
    try {
      DropTempTables(connection);
    } catch (const engine::EngineError&) {
      // The connection is unusable; the next table will say so.
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace cdmlake::lake
