// Keeps a running server's views in step with the lake's saved views: `cdmlake sql "CREATE VIEW …"` (or DROP
// VIEW) run while `cdmlake serve` serves rewrites _cdmlake/views.json, and Poll, called periodically, applies
// the difference (views dropped, created or replaced) to the server's database, so every session sees it.
// Not thread-safe: one thread polls (it uses the lake session's connection, which nothing else uses then).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lake/saved_views.h"
#include "util/file_system.h"

namespace cdmlake::lake {

class SavedViewsWatcher {
 public:
  // `current`: the views the database has now (as loaded from the file and created at start).
  SavedViewsWatcher(FileSystem& fs, LakeSession& session, const std::string& lake_root,
                    std::vector<SavedView> current);

  // Applies a changed views file. Returns true when the database's views changed; problems (a view that cannot
  // be created, an unreadable file: the views stay as they were) go to *problems.
  bool Poll(std::vector<std::string>* problems);

 private:
  std::optional<std::pair<uint64_t, int64_t>> Stamp() const;

  FileSystem& fs_;
  LakeSession& session_;
  std::string root_;
  std::string path_;
  std::optional<std::pair<uint64_t, int64_t>> stamp_;  // size and mtime of the file last applied
  std::vector<SavedView> current_;
};

}  // namespace cdmlake::lake
