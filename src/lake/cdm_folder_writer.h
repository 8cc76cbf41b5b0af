// Writes query results to the lake as a CDM folder, atomically.
//
// The commit protocol: every commit gets a new version number N. Each entity's data files and its resolved
// <Entity>.cdm.json are written, synced, into <dir>/<Entity>/_v<N>/ (a folder no reader looks at yet); then the
// manifest <dir>/<name>.manifest.cdm.json is replaced by write-temp + fsync + rename (the commit point), then
// model.json the same way when asked for; only then are the other _v* folders removed (the previous version, and
// anything a killed writer left). Entities already in the folder's manifest and not written by this commit are
// kept, so a folder can be filled entity by entity. A writer killed at any point leaves the previous version fully readable, and a
// rerun completes. One writer per folder at a time (as for every CDM writer, there is no lock).
// Thread-compatible.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "cdm/model.h"
#include "cdm/writer.h"
#include "engine/database.h"
#include "util/file_system.h"

namespace cdmlake::lake {

struct OutputEntity {
  std::string name;
  std::string query;  // the SQL whose result is the entity's rows
  std::string description;
  // Metadata that a result's types cannot carry (string lengths, enum values, keys), by column name
  // (case-insensitive); the format always comes from the result.
  std::vector<cdm::Attribute> hints;
};

struct CdmFolderOptions {
  std::string manifest_name = "default";
  cdm::FileFormat format = cdm::FileFormat::kCsv;
  bool header = true;                      // CSV header row
  bool model_json = false;                 // also write model.json
  std::string location_base;               // model.json partition URL prefix (see cdm::ModelJsonDocument)
  uint64_t max_file_bytes = 256ull << 20;  // a larger entity is split into several partition files
};

struct CommittedEntity {
  std::string name;
  int64_t rows = 0;
  std::vector<std::string> files;  // relative to the folder
};

struct CommitResult {
  std::string manifest;  // absolute path
  int version = 0;
  std::vector<CommittedEntity> entities;
};

class CdmFolderWriter {
 public:
  // dir: absolute path of the CDM folder (created if missing).
  CdmFolderWriter(engine::Connection& connection, FileSystem& fs, std::string dir, CdmFolderOptions options);

  void Add(OutputEntity entity);
  // Writes and commits every added entity as one new version. Throws Error naming the entity (and the query's
  // error) when a query fails, or kIo when a write fails; the previous version then stays as it was.
  CommitResult Commit();

 private:
  int NextVersion();
  // The entities of the folder's current manifest that this commit does not replace.
  std::vector<cdm::EntityOutput> CarriedEntities();
  // Removes every _v* folder except the ones named (as "<Entity>/_vNNNNNN").
  void RemoveOtherVersions(const std::set<std::string>& keep);

  engine::Connection& connection_;
  FileSystem& fs_;
  std::string dir_;
  CdmFolderOptions options_;
  std::vector<OutputEntity> entities_;
};

}  // namespace cdmlake::lake
