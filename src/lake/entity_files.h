// The data files of an entity, checked and probed before DuckDB reads them: listed (patterns expanded), each one
// present and inside the lake (also through symbolic links), and each CSV file's width and record ends taken from
// its first record (see csv_probe.h). Shared by sessions (views) and refresh (snapshots). Thread-compatible.
#pragma once

#include <vector>

#include "cdm/model.h"
#include "lake/catalog.h"
#include "util/file_system.h"

namespace cdmlake::lake {

struct EntityFile {
  std::string absolute;  // path of the file
  FileInfo info;         // its size and modification time when checked
};

// The entity's partitions, ready for BuildEntityScan. Throws Error(kData) naming the manifest and file when a
// file is missing, outside the lake, or a pattern cannot be listed. files (optional) receives each file's stat,
// in the order of the partitions.
std::vector<cdm::Partition> PrepareEntityFiles(const Catalog& catalog, const cdm::Entity& entity,
                                               std::vector<EntityFile>* files = nullptr);

}  // namespace cdmlake::lake
