// Imported measurements kept in the lake, so every later command (list, ddl, process, query, and the SQL
// endpoint) finds them without the original package: `<lake>/_cdmlake/entitystore/<M>/package.json` (the
// metadata, see package_codec.h) and `settings.json` (the import options). Each file is replaced atomically.
// Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "entitystore/metadata.h"
#include "util/file_system.h"

namespace cdmlake::entitystore {

struct StoredMeasurement {
  MetadataPackage package;
  std::string date_table;  // the lake table serving Date_, or "" for a generated calendar
};

class MeasurementStore {
 public:
  MeasurementStore(FileSystem& fs, std::string lake_root);

  // Stores (or replaces) a measurement under its name.
  void Save(const StoredMeasurement& measurement);
  // Loads a measurement by name (case-insensitive). Throws Error(kUser) naming the known measurements when
  // there is none of that name, Error(kData) naming the file when it cannot be read.
  StoredMeasurement Load(const std::string& name) const;
  // The names of the stored measurements, sorted.
  std::vector<std::string> Names() const;

 private:
  std::string Folder(const std::string& name) const;

  FileSystem& fs_;
  std::string root_;  // <lake>/_cdmlake/entitystore
};

}  // namespace cdmlake::entitystore
