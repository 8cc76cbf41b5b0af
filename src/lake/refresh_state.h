// The refresh state of one entity and its commit protocol.
//
// <lake>/_cdmlake/refresh/<schema>/<entity>/ holds state.json and the Parquet file(s) it names:
//
//   {"format": 1, "layout": "d365-change-feed", "entity": "Tables.SalesLine",
//    "table": "current-000003.parquet",        <- the current state: exactly the entity's columns, in order
//    "tombstones": "",                         <- Synapse Link: deleted Ids with their version, else ""
//    "generation": 3, "rows": 1234, "columns": ["RECID BIGINT", ...],
//    "watermark": {...}, "watermark_text": "...",   <- layout-specific
//    "base": [{"path", "size", "mtime_ns"}],         <- the snapshot files the state was built on
//    "applied": [{"path", "size", "mtime_ns", "rows"}],  <- the change files applied so far
//    "changes": [{"generation": 3, "file": "keys-000003.parquet"}],  <- the change log, see below
//    "change_log": "1763798400123456789-1"}                          <- which log: new at each rebuild
//
// Sessions read "table" instead of the entity's raw files (see session.h). A commit writes the new Parquet
// files under new names (generation N+1), syncs them, then replaces state.json atomically (temp file, fsync,
// rename: the commit point), syncs the folder, and only then removes every other Parquet file of the folder
// (the previous generation, and whatever a killed refresh left). A refresh that fails or is killed before the
// rename leaves the previous state readable and byte-identical. Crash points (util/crash_point.h) for tests:
// "refresh-after-table" (new files written, state.json not yet replaced) and "refresh-after-state".
//
// The change log: an incremental refresh also writes the key columns of every key it inserted, updated or
// deleted to keys-<generation>.parquet, and "changes" lists those of the last kChangeLogLength generations in
// a row. A rebuild, or a layout that does not report its keys, starts a new log (a new "change_log" id, since
// generation numbers start again when a state folder is removed). A consumer that remembers the log and the
// generation it read (the entity store) gets the keys changed since from ChangedKeyFiles.
// Thread-compatible; one refresh per lake at a time (like every CDM writer there is no lock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/database.h"
#include "lake/refresh_io.h"
#include "util/file_system.h"

namespace cdmlake::lake {

struct RefreshState {
  std::string layout;
  std::string entity;      // "schema.name", for people reading the file
  std::string table;       // file name in the state folder
  std::string tombstones;  // file name in the state folder, or ""
  int64_t generation = 0;
  int64_t rows = 0;
  std::vector<std::string> columns;  // "NAME TYPE" per column: a change means the state must be rebuilt
  nlohmann::json watermark = nlohmann::json::object();
  std::string watermark_text;
  std::vector<FileStamp> base;
  std::vector<FileStamp> applied;
  std::vector<std::pair<int64_t, std::string>> changes;  // (generation, keys file), oldest first
  std::string change_log;                                 // the log's id
};

// Generations of changed keys a state keeps.
inline constexpr size_t kChangeLogLength = 32;

// The keys files (absolute) of the generations after `since_generation` of the log `since_log` up to the
// state's; empty when the state is that generation; nullopt when the log does not reach back that far (another
// log, a rebuild in between, a layout without keys, more than kChangeLogLength refreshes since), and then every
// row must be taken as changed.
std::optional<std::vector<std::string>> ChangedKeyFiles(const RefreshState& state, const std::string& folder,
                                                        const std::string& since_log, int64_t since_generation);

nlohmann::json StateToJson(const RefreshState& state);
// Throws Error(kData) when the JSON is not a state of this format.
RefreshState StateFromJson(const nlohmann::json& json);

// Reads <folder>/state.json (folder absolute). nullopt when there is none. Throws Error(kData) naming the file
// when it exists but cannot be read as a state, or names a table file that is missing.
std::optional<RefreshState> LoadRefreshState(FileSystem& fs, const std::string& folder);

// "NAME TYPE" for every attribute of the entity, as the state's "columns".
std::vector<std::string> ColumnSignature(const cdm::Entity& entity);

// Commits a new generation: `table_sql` (a SELECT with the entity's columns) is written to
// current-<generation>.parquet, `tombstones_sql` (when not empty) to tombstones-<generation>.parquet,
// `changed_keys_sql` (when not empty) to keys-<generation>.parquet and appended to state->changes (else the
// change log is emptied), then state.json is replaced. state->generation, table, tombstones, changes and rows
// are set here; returns the rows of the table. On failure everything written is removed, the previous state
// stays as it was, and the error is rethrown (a DuckDB error as an Error naming the file being written).
int64_t CommitRefreshState(engine::Connection& connection, FileSystem& fs, const std::string& folder,
                           const std::string& table_sql, const std::string& tombstones_sql, RefreshState* state,
                           const std::string& changed_keys_sql = "");

}  // namespace cdmlake::lake
