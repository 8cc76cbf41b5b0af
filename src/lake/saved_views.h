// The views of the logical data warehouse. Synapse serverless keeps views over lake files in its database; cdmlake
// keeps them in the lake itself, in <lake>/_cdmlake/views.json, so that `cdmlake sql`, `cdmlake serve` and every
// one of its sessions see the same views, and a view made once survives restarts.
//
// A view is saved as the CREATE VIEW statement DuckDB normalized when it was made, with its schema and name.
// `cdmlake sql "CREATE VIEW …"` (or DROP VIEW) changes the set: the command compares the database's views before
// and after the statement (ViewSnapshot) and saves the difference. Thread-compatible.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/database.h"
#include "lake/session.h"
#include "util/file_system.h"

namespace cdmlake::lake {

struct SavedView {
  std::string schema;
  std::string name;
  std::string sql;  // CREATE VIEW … as DuckDB shows it in duckdb_views()

  bool operator==(const SavedView&) const = default;
};

// The lake-relative path of the views file.
inline constexpr const char* kSavedViewsFile = "_cdmlake/views.json";

// The saved views (none when the file does not exist). Throws Error(kData) naming the file when it is not valid.
std::vector<SavedView> LoadSavedViews(FileSystem& fs, const std::string& lake_root);
// Replaces the views file atomically (readers see the old or the new set).
void StoreSavedViews(FileSystem& fs, const std::string& lake_root, const std::vector<SavedView>& views);

// The user views of a database, by "schema.name": those that are not internal and not temporary.
using ViewSnapshot = std::map<std::pair<std::string, std::string>, std::string>;
ViewSnapshot SnapshotViews(engine::Connection& connection);

// Applies what a statement changed (views created, replaced or dropped between `before` and `after`) to the saved
// set; views the lake session made for entities are never saved. Returns true when the set changed.
bool ApplyViewChanges(const ViewSnapshot& before, const ViewSnapshot& after, const LakeSession& session,
                      std::vector<SavedView>* views);

// Creates the saved views in the session's database, attaching the entities they read first. A view that cannot
// be created (a table it reads is gone) is skipped; the returned messages name it and say why.
std::vector<std::string> CreateSavedViews(LakeSession& session, const std::vector<SavedView>& views);

}  // namespace cdmlake::lake
