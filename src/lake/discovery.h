// Finding the root metadata documents of a lake.
//
// A root is a *.manifest.cdm.json (or legacy *.folio.cdm.json) or a model.json that no other document includes.
// The walk starts at the lake root and does not enter a folder below one that holds a root document: what lies
// there is reached through subManifests (D365's Tables/ tree), or belongs to the root's own layout (Synapse
// Link's incremental folders). It skips hidden folders and cdmlake's own _cdmlake/. Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "util/file_system.h"

namespace cdmlake::lake {

// Lake-relative paths of candidate root documents, sorted. Manifests of one folder come before its model.json,
// which is only taken when the folder has no manifest.
std::vector<std::string> FindRootDocuments(FileSystem& fs, const std::string& lake_root);

// The folder where cdmlake keeps its state inside a lake.
inline constexpr const char* kStateFolder = "_cdmlake";

// The lake-relative folder of an entity's refresh state: _cdmlake/refresh/<schema>/<entity>, each name made a safe
// file name (SafeFileName).
std::string RefreshStateFolder(const std::string& schema, const std::string& entity);

}  // namespace cdmlake::lake
