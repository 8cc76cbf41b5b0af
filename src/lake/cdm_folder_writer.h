// Writes query results, or rows that cdmlake makes in memory, to the lake as a CDM folder, atomically.
//
// Two kinds of entities: Add takes a query, whose result DuckDB's COPY writes (CSV or Parquet); AddRows takes a
// RowSource (lake/row_source.h), whose rows cdmlake writes itself as CSV (lake/csv_file_writer.h, the same
// dialect and file names as DuckDB's), without a round trip through DuckDB's vectors and CSV writer (most of the
// write step of `unify run`). The entities' data are written in parallel, one entity per task on up to
// CdmFolderOptions::threads threads; the query entities share the connection, so they run one after the other
// in one of those tasks.
//
// The commit protocol: every commit gets a new version number N. Each entity's data files and its resolved
// <Entity>.cdm.json are written, synced, into <dir>/<Entity>/_v<N>/ (a folder no reader looks at yet); then the
// manifest <dir>/<name>.manifest.cdm.json is replaced by write-temp + fsync + rename (the commit point), then
// model.json the same way when asked for; only then are the other _v* folders removed (the previous version, and
// anything a killed writer left). Entities already in the folder's manifest and not written by this commit are
// kept, so a folder can be filled entity by entity. A writer killed at any point leaves the previous version fully readable, and a
// rerun completes. One writer per folder at a time (as for every CDM writer, there is no lock).
// A commit that fails (a query, a RowSource or a write throws) writes no manifest and removes the version folders
// it had begun (what it cannot remove, the next commit does); the previous version stays as it was.
// WriteAhead starts writing the row entities added so far on a thread of their own, before Commit (which waits for
// them and writes the rest): `unify run` writes its Deduplication tables on the core that matching leaves idle.
// They go into the same version folders, so nothing of the protocol changes: until the manifest is replaced no
// reader sees them, and a writer destroyed without a commit stops them and removes what they wrote.
// Thread-compatible. The FileSystem must be safe to use from several threads (the real one is; MemoryFileSystem is
// not: use threads = 1 with it), and so must the RowSources, each from one thread at a time.
#pragma once

#include <atomic>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cdm/model.h"
#include "cdm/writer.h"
#include "engine/database.h"
#include "lake/row_source.h"
#include "util/file_system.h"

namespace cdmlake::lake {

struct OutputEntity {
  std::string name;
  std::string query;  // the SQL whose result is the entity's rows
  std::string description;
  // Metadata that a result's types cannot carry (string lengths, enum values, keys), by column name
  // (case-insensitive); the format always comes from the result.
  std::vector<cdm::Attribute> hints;
  // When set, an SQL expression over the query's columns giving a short, never NULL text (letters, digits, '-',
  // '_'): the rows go into one subfolder per value (<Entity>/_vN/<value>/<entity>-<i>.parquet), one file each
  // (no size split). The folders carry no "key=" so that no reader (Spark, DuckDB) takes them for a column;
  // readers find the files in the manifest. An incremental writer rewrites some values and carries the others.
  std::string partition_by;
  // Files of the entity's current version to carry into the new one unchanged (hard links, so nothing is
  // copied), relative to the folder: each "<Entity>/_vN/<value>/<file>", of a value the query does not write.
  // Parquet only (their rows are counted from the files' metadata).
  std::vector<std::string> carried_files;
};

// An entity whose rows cdmlake makes (CSV folders only). The cells are written as they are (quoted for CSV), so
// each must already be the text its attribute's format reads back as (a DOUBLE as DuckDB prints it, and so on).
struct RowEntity {
  std::string name;
  std::vector<cdm::Attribute> attributes;  // the columns, in order (declared_type defaults to the format's name)
  std::unique_ptr<RowSource> rows;
  std::string description;
};

struct CdmFolderOptions {
  std::string manifest_name = "default";
  cdm::FileFormat format = cdm::FileFormat::kCsv;
  bool header = true;                      // CSV header row
  bool model_json = false;                 // also write model.json
  std::string location_base;               // model.json partition URL prefix (see cdm::ModelJsonDocument)
  uint64_t max_file_bytes = 256ull << 20;  // a larger entity is split into several partition files
  size_t threads = 0;                      // entities written at once; 0: util/parallel.h WorkerThreads()
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
  // Stops a write-ahead that no commit waited for and removes its folders.
  ~CdmFolderWriter();
  CdmFolderWriter(const CdmFolderWriter&) = delete;
  CdmFolderWriter& operator=(const CdmFolderWriter&) = delete;

  void Add(OutputEntity entity);
  // Throws Error(kUser) for a Parquet folder (rows made by cdmlake are written as CSV only).
  void AddRows(RowEntity entity);
  // Starts writing the row entities added so far (not yet written) on a thread of its own, largest first, and
  // returns at once; their RowSources must stay valid until Commit returns or the writer is destroyed. At most
  // once per writer. Errors surface in Commit.
  void WriteAhead();
  // Writes and commits every added entity as one new version (CommitResult::entities in the order added). Throws
  // Error naming the entity (and the query's or the RowSource's error) when a query or a RowSource fails, or kIo
  // when a write fails; the previous version then stays as it was.
  CommitResult Commit();

 private:
  // An entity added: a query (query non-empty) or rows.
  struct Pending {
    std::string name;
    std::string description;
    std::string query;
    std::vector<cdm::Attribute> hints;       // query entities
    std::unique_ptr<RowSource> rows;         // row entities
    std::vector<cdm::Attribute> attributes;  // row entities: as given; query entities: from the result's shape
    std::string select;                      // query entities: the columns in their CDM form
    std::string partition_by;                // query entities: OutputEntity::partition_by
    std::vector<std::string> carried_files;  // query entities: OutputEntity::carried_files
  };

  // Entities written by WriteAhead: their indices in entities_, their folders, what they wrote, and the thread.
  struct Ahead {
    std::vector<size_t> entities;
    std::vector<Pending*> pending;              // per entities entry
    std::vector<std::string> folders;           // per entities entry
    std::vector<CommittedEntity> committed;     // per entities entry
    std::atomic<bool> cancelled{false};
    std::exception_ptr error;
    std::thread thread;
  };

  void CheckName(const std::string& name) const;
  // The version this writer commits, chosen on first use (WriteAhead or Commit).
  int Version();
  // Empties (a leftover of a killed writer with the same number) and creates the folder of a row entity.
  std::string PrepareRowFolder(const Pending& entity);
  // Cancels the write-ahead (when `cancel`), waits for its thread, and returns its error (null when none).
  std::exception_ptr JoinAhead(bool cancel);
  void RemoveFolders(const std::vector<std::string>& folders);
  // Writes the data of one entity into <dir>/<folder> (synced) and returns its rows and files (relative to dir).
  CommittedEntity WriteQueryData(const Pending& entity, const std::string& folder);
  // Links the entity's carried files into <dir>/<folder>; returns their rows.
  int64_t CarryFiles(const Pending& entity, const std::string& folder);
  CommittedEntity WriteRowData(Pending& entity, const std::string& folder, const std::atomic<bool>& cancelled);
  int NextVersion();
  // The entities of the folder's current manifest that this commit does not replace.
  std::vector<cdm::EntityOutput> CarriedEntities();
  // Removes every _v* folder except the ones named (as "<Entity>/_vNNNNNN").
  void RemoveOtherVersions(const std::set<std::string>& keep);

  engine::Connection& connection_;
  FileSystem& fs_;
  std::string dir_;
  CdmFolderOptions options_;
  std::deque<Pending> entities_;  // a deque: the write-ahead thread keeps pointers to entities added before it
  std::optional<int> version_;
  std::unique_ptr<Ahead> ahead_;
};

}  // namespace cdmlake::lake
