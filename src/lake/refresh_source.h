// What `cdmlake lake refresh` needs from each incremental layout (D365 change feed, Synapse Link incremental
// folders, Customer Insights incremental partitions): a RefreshSource lists the files an entity's state is
// built from, and computes the new state in DuckDB; refresh.cc decides between an incremental refresh and a
// rebuild and commits the result (refresh_state.h).
//
// Sources keep their intermediate tables in DuckDB temporary tables named kRefreshTempPrefix*, which the driver
// drops after each table. Thread-compatible: one source is used by one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/database.h"
#include "lake/catalog.h"
#include "lake/refresh_io.h"
#include "lake/refresh_state.h"

namespace cdmlake::lake {

inline constexpr const char* kRefreshTempPrefix = "__cdmlake_refresh_";

// temp."__cdmlake_refresh_<name>", quoted.
std::string RefreshTemp(const std::string& name);

enum class RefreshMode {
  kFull,         // from the snapshot (if the layout has one) and every change file
  kIncremental,  // from the previous state and the change files that are new or grew since
};

struct RefreshInput {
  RefreshMode mode = RefreshMode::kFull;
  const RefreshState* previous = nullptr;  // set in incremental mode
  std::string previous_table;              // absolute path of the previous state's Parquet (incremental)
  std::string previous_tombstones;         // absolute, or "" (incremental)
  std::vector<FileStamp> files;            // the change files to read, lake-relative, sorted
};

struct RefreshOutput {
  std::string table_sql;       // a SELECT with exactly the entity's columns: the new state
  std::string tombstones_sql;  // a SELECT of tombstones to keep with the state, or ""
  int64_t rows_before = 0;     // of the starting point (previous state, or the snapshot in a rebuild)
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t deleted = 0;
  int64_t change_rows = 0;  // change rows read
  nlohmann::json watermark = nlohmann::json::object();
  std::string watermark_text;
  std::map<std::string, int64_t> rows_per_file;  // lake-relative change file -> rows read from it
  // Incremental mode: a SELECT of the key columns of every key whose row this refresh inserted, updated or
  // deleted (more keys are harmless), kept with the state as its change log (refresh_state.h); "" when the
  // layout does not tell, which ends the log.
  std::string changed_keys_sql;
};

struct SourceListing {
  std::vector<FileStamp> base;     // the snapshot's files (a change rebuilds the state)
  std::vector<FileStamp> changes;  // the change files that are ready to apply, sorted by path
  std::vector<std::string> notes;  // what was left out and why, for the report
};

class RefreshSource {
 public:
  RefreshSource(const Catalog& catalog, const cdm::Entity& entity) : catalog_(catalog), entity_(entity) {}
  virtual ~RefreshSource() = default;
  RefreshSource(const RefreshSource&) = delete;
  RefreshSource& operator=(const RefreshSource&) = delete;

  // A short name of the layout: "d365-change-feed", "synapse-link", "incremental-partitions".
  virtual std::string layout() const = 0;
  // Lists the files. Throws Error(kData) naming the file or folder when the layout is broken.
  virtual SourceListing List() = 0;
  // Whether a change file that was applied and has changed since (without shrinking) forces a rebuild; if not,
  // an incremental refresh reads it again (append-only files).
  virtual bool RebuildWhenAppliedFileChanges() const { return false; }
  // Computes the new state from the input (files from the last List()). Throws Error naming the file and
  // line of a bad row; nothing is written here.
  virtual RefreshOutput Compute(engine::Connection& connection, const RefreshInput& input) = 0;

  const cdm::Entity& entity() const { return entity_; }
  const Catalog& catalog() const { return catalog_; }

 protected:
  const Catalog& catalog_;
  const cdm::Entity& entity_;
};

// The sources of each layout found in the catalog.
std::vector<std::unique_ptr<RefreshSource>> FindChangeFeedSources(const Catalog& catalog);
std::vector<std::unique_ptr<RefreshSource>> FindSynapseLinkSources(const Catalog& catalog);
// now_unix_seconds decides which hour folders are complete (an hour is applied only after it ended).
std::vector<std::unique_ptr<RefreshSource>> FindIncrementalPartitionSources(const Catalog& catalog,
                                                                           int64_t now_unix_seconds);

// Helpers shared by the layouts.

// The attribute named `name` (case-insensitive), or nullptr.
const cdm::Attribute* FindAttribute(const cdm::Entity& entity, std::string_view name);
int FindAttributeIndex(const std::vector<cdm::Attribute>& attributes, std::string_view name);
// The SQL expression giving `attribute`'s value from `source` (an expression of its SQL type), with F&O's
// empty date 1900-01-01 as NULL when the entity is a D365 export (as entity views read it).
std::string ColumnValueSql(const cdm::Entity& entity, const cdm::Attribute& attribute, const std::string& source);
// "a, b, c": the entity's columns, quoted, each prefixed with `prefix` ("w." or "").
std::string ColumnList(const cdm::Entity& entity, const std::string& prefix = "");
// CAST(x AS type) AS x for every column: the state's exact types.
std::string TypedColumnList(const cdm::Entity& entity, const std::string& prefix = "");
// The first row of a query as text cells (empty when no row).
std::vector<std::optional<std::string>> FirstRow(engine::Connection& connection, const std::string& sql);
int64_t QueryInt(engine::Connection& connection, const std::string& sql);

}  // namespace cdmlake::lake
