// `cdmlake lake refresh`: turns a lake's incremental sources into current-state tables.
//
// Three layouts are recognized in the catalog (docs/lake-layouts.md, "Incremental refresh"):
//   - D365 Finance & Operations Export to Data Lake: a Tables/ entity with a change entity of the same name
//     (case-insensitive) in the sibling ChangeFeed/ChangeFeed.manifest.cdm.json. State = the Tables snapshot
//     plus the change rows, the highest (Start_LSN, Seq_Val, DataLakeModified_DateTime) per RECID winning.
//   - Synapse Link for Dataverse incremental folders: a root model.json beside timestamp folders. State = the
//     rows of the finalized folders, the highest (versionnumber, SinkModifiedOn) per Id winning.
//   - Incremental partitions (Customer Insights style): an entity whose manifest declaration has
//     incrementalPartitionPatterns / incrementalPartitions with is.partition.incremental. State = the full data
//     plus the upserts and deletes of complete hours, the later hour winning per primary key.
//
// Each table is refreshed on its own, all or nothing: its state (under <lake>/_cdmlake/refresh/, see
// refresh_state.h) is replaced only when everything was read and written. A table whose sources did not
// change since its last refresh is not touched. The work is done in DuckDB on the given connection.
//
// Thread-compatible: run one refresh of a lake at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"
#include "util/error.h"

namespace cdmlake::lake {

struct RefreshOptions {
  // "[SCHEMA.]NAME" of the tables to refresh (case-insensitive); empty: every refreshable table.
  std::vector<std::string> tables;
  // The current time, which decides which hour folders of incremental partitions are complete; -1: the clock.
  int64_t now_unix_seconds = -1;
};

enum class RefreshStatus {
  kUpToDate,   // nothing new: nothing was written
  kRefreshed,  // new changes applied to the previous state
  kRebuilt,    // built from the snapshot and every change (first refresh, or the sources were replaced)
  kFailed,     // see error; the previous state is unchanged
};

const char* RefreshStatusName(RefreshStatus status);

struct TableRefreshResult {
  std::string schema;
  std::string entity;
  std::string layout;
  RefreshStatus status = RefreshStatus::kUpToDate;
  int64_t rows_before = 0;  // of the starting point: the previous state, or the snapshot when rebuilt
  int64_t rows_after = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t deleted = 0;
  int64_t change_rows = 0;  // change rows read
  int64_t change_files = 0;  // change files read
  std::string watermark;     // "" when nothing was applied yet
  double seconds = 0;
  std::vector<std::string> notes;  // e.g. an in-progress folder that was skipped
  std::optional<Error> error;      // when status is kFailed
};

// Refreshes the selected tables. A table that fails is reported with its error (naming the file and line of
// the bad row, or the file that could not be written) and keeps its previous state; the other tables are still
// refreshed. Throws Error(kUser) when options.tables names a table that is not refreshable.
std::vector<TableRefreshResult> RefreshLake(engine::Connection& connection, const Catalog& catalog,
                                            const RefreshOptions& options);

}  // namespace cdmlake::lake
