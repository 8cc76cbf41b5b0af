#include "entitystore/source_delta.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "engine/quote.h"
#include "lake/discovery.h"
#include "lake/refresh_io.h"
#include "lake/refresh_state.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

using engine::QuoteIdentifier;

std::vector<std::string> ColumnTypes(engine::Connection& connection, const std::string& relation) {
  std::vector<std::string> out;
  for (const auto& row : connection.Query("DESCRIBE SELECT * FROM " + relation).FetchAllText()) {
    out.push_back(row.at(0).value_or("") + " " + row.at(1).value_or(""));
  }
  return out;
}

std::string RefreshFolder(const lake::Catalog& catalog, const cdm::Entity& entity) {
  return JoinPath(catalog.lake_root(), lake::RefreshStateFolder(entity.schema, entity.name));
}

}  // namespace

std::optional<SourceSnapshot> KeepSnapshot(lake::LakeSession& session, const lake::Catalog& catalog,
                                           const std::string& folder, const std::string& table,
                                           std::string* current) {
  const cdm::Entity* entity = catalog.Find(table);
  if (!entity) return std::nullopt;
  *current = session.CurrentStateFile(*entity);
  if (current->empty()) return std::nullopt;
  std::optional<lake::RefreshState> state = lake::LoadRefreshState(catalog.fs(), RefreshFolder(catalog, *entity));
  if (!state || BaseName(*current) != state->table) return std::nullopt;  // refreshed meanwhile
  FileSystem& fs = catalog.fs();
  auto source = fs.Stat(*current);
  if (!source) return std::nullopt;
  // The name carries the log and the generation: generation numbers start again in a new log.
  const std::string dir = JoinPath(folder, SafeFileName(table));
  const std::string target =
      JoinPath(dir, SafeFileName(state->change_log) + "-" + std::to_string(state->generation) + ".parquet");
  if (!fs.Stat(target)) {
    fs.CreateDirectories(dir);
    const std::string temp = target + ".tmp";
    fs.RemoveFile(temp);
    std::error_code error;
    std::filesystem::create_hard_link(*current, temp, error);
    if (error) {
      // Another file system or no link support: a copy costs one read of the table.
      error.clear();
      std::filesystem::copy_file(*current, temp, std::filesystem::copy_options::overwrite_existing, error);
      if (error) {
        throw Error(ErrorKind::kIo, "cannot keep a snapshot of " + table + ": " + error.message(),
                    Location{temp, 0, table});
      }
    }
    fs.Rename(temp, target);
  }
  return SourceSnapshot{lake::LakeRelative(catalog.lake_root(), target), state->change_log, state->generation};
}

void PruneSnapshots(const lake::Catalog& catalog, const std::string& folder, const std::vector<std::string>& keep) {
  FileSystem& fs = catalog.fs();
  if (!fs.Stat(folder)) return;
  for (const std::string& file : fs.ListFilesRecursive(folder)) {
    const std::string relative = lake::LakeRelative(catalog.lake_root(), JoinPath(folder, file));
    if (std::find(keep.begin(), keep.end(), relative) == keep.end()) fs.RemoveFile(JoinPath(folder, file));
  }
}

std::string ComputeSourceDelta(engine::Connection& connection, const lake::Catalog& catalog, const std::string& table,
                               const SourceSnapshot& since, const std::string& current, SourceDelta* out) {
  const cdm::Entity* entity = catalog.Find(table);
  if (!entity) return table + " is not in the lake";
  const std::string folder = RefreshFolder(catalog, *entity);
  std::optional<lake::RefreshState> state = lake::LoadRefreshState(catalog.fs(), folder);
  if (!state || JoinPath(folder, state->table) != current) return table + " was refreshed while processing";
  std::optional<std::vector<std::string>> keys =
      lake::ChangedKeyFiles(*state, folder, since.log, since.generation);
  if (!keys) {
    return table + "'s refresh log does not reach back to the last processing (rebuilt, or a layout that does "
                   "not record its changed keys)";
  }
  const std::string old_rows = "read_parquet(" + engine::QuoteFilePath(JoinPath(catalog.lake_root(), since.file)) + ")";
  const std::string new_rows = "read_parquet(" + engine::QuoteFilePath(current) + ")";
  if (ColumnTypes(connection, old_rows) != ColumnTypes(connection, new_rows)) {
    return table + " changed its columns since the last processing";
  }
  out->table = table;
  const std::string removed = "__cdmlake_removed_" + table, added = "__cdmlake_added_" + table;
  out->removed = "temp." + QuoteIdentifier(removed);
  out->added = "temp." + QuoteIdentifier(added);
  if (keys->empty()) {
    connection.Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(removed) + " AS SELECT * FROM " + old_rows +
                       " WHERE false");
    connection.Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(added) + " AS SELECT * FROM " + new_rows +
                       " WHERE false");
    return "";
  }
  const std::string key_rows = "read_parquet(" + engine::QuoteFilePathList(*keys) + ")";
  const std::string key_table = "__cdmlake_keys_" + table;
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(key_table) + " AS SELECT DISTINCT * FROM " +
                     key_rows);
  std::string match, range;
  for (const auto& row :
       connection.Query("DESCRIBE SELECT * FROM temp." + QuoteIdentifier(key_table)).FetchAllText()) {
    const std::string name = QuoteIdentifier(row.at(0).value_or(""));
    const std::string type = row.at(1).value_or("VARCHAR");
    match += (match.empty() ? "" : " AND ") + std::string("r.") + name + " IS NOT DISTINCT FROM k." + name;
    // The keys' range as constants, so the Parquet reader skips the row groups outside it (the table's files
    // keep their rows about in key order, and changes cluster on recent keys). Not for a column with NULL keys.
    auto bounds = connection.Query("SELECT CAST(min(" + name + ") AS VARCHAR), CAST(max(" + name +
                                   ") AS VARCHAR), count(*) FILTER (WHERE " + name + " IS NULL) FROM temp." +
                                   QuoteIdentifier(key_table)).FetchAllText();
    if (bounds.empty() || !bounds[0].at(0) || !bounds[0].at(1) || bounds[0].at(2).value_or("1") != "0") continue;
    range += " AND r." + name + " BETWEEN CAST(" + engine::QuoteLiteral(*bounds[0].at(0)) + " AS " + type +
             ") AND CAST(" + engine::QuoteLiteral(*bounds[0].at(1)) + " AS " + type + ")";
  }
  for (const auto& [view, rows] : {std::pair(removed, old_rows), std::pair(added, new_rows)}) {
    connection.Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(view) + " AS SELECT r.* FROM " + rows +
                       " r SEMI JOIN temp." + QuoteIdentifier(key_table) + " k ON " + match + " WHERE true" + range);
  }
  return "";
}

}  // namespace cdmlake::entitystore
