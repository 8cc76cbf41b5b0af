// The rows of a source table that changed since the last `entitystore process`, for sub-table incremental
// processing (incremental_fact.h).
//
// Only tables that `lake refresh` keeps as a current-state Parquet file have a reliable change set: refresh
// records the keys each generation changed (the change log of lake/refresh_state.h) and never rewrites a
// generation's file in place. Processing therefore keeps a hard link to the generation it read,
// `_cdmlake/entitystore/<M>/snapshots/<TABLE>/<file>`, with the log and generation it belongs to; the next run
// takes the keys changed since from the log, and the rows of those keys from the snapshot (as they were) and
// from the current state (as they are). Only those rows are read (a semi-join on the keys, with the columns the
// fact uses). A table read from its raw files (a CSV edited in place), a rebuilt state or a log that does not
// reach back to the snapshot gives no change set, and the facts over that table are recomputed whole.
// Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"
#include "lake/session.h"

namespace cdmlake::entitystore {

// What a run read of a refreshed table, recorded for the next run.
struct SourceSnapshot {
  std::string file;        // lake-relative hard link to the generation read
  std::string log;         // the refresh state's change log id
  int64_t generation = 0;  // the generation read
};

struct SourceDelta {
  std::string table;    // the catalog name (upper case)
  std::string removed;  // temp view: the rows of the changed keys as they were (from the snapshot)
  std::string added;    // temp view: the rows of the changed keys as they are now
};

// The current state of a refreshed table as the session reads it (absolute Parquet file), or nullopt when the
// table is read from its raw files. Keeps a hard link to it (a copy where links fail) under `folder`.
std::optional<SourceSnapshot> KeepSnapshot(lake::LakeSession& session, const lake::Catalog& catalog,
                                           const std::string& folder, const std::string& table,
                                           std::string* current);

// Removes the snapshot files under `folder` that are not named in `keep` (lake-relative paths).
void PruneSnapshots(const lake::Catalog& catalog, const std::string& folder, const std::vector<std::string>& keep);

// The rows of the keys changed between `since` and the current state file `current` (absolute), as temp views.
// Returns why there is no change set ("" and *out set when there is one).
std::string ComputeSourceDelta(engine::Connection& connection, const lake::Catalog& catalog, const std::string& table,
                               const SourceSnapshot& since, const std::string& current, SourceDelta* out);

}  // namespace cdmlake::entitystore
