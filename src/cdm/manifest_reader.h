// Reads a *.manifest.cdm.json with its sub-manifests (at any depth) and the resolved entity documents they
// point to, into flat entities. Every problem found is collected with its file, line and entity instead of
// stopping at the first, so `cdmlake lake inspect` can list them all. Thread-compatible.
#pragma once

#include <string>

#include "cdm/location.h"
#include "cdm/model.h"

namespace cdmlake::cdm {

// Reads the manifest at lake-relative `path` and everything below it. Never throws for bad metadata: problems
// are in the result, and result.failed is set when the root manifest itself could not be read.
RootDocument ReadManifestTree(const LocationResolver& resolver, const std::string& path);

// Whether a root manifest is the D365 Finance & Operations export (Tables/ or ChangeFeed/), whose CSV files
// write 1900-01-01 for "no date".
bool IsD365ExportManifest(const std::string& path);

}  // namespace cdmlake::cdm
