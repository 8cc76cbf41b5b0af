// A columnar cache of the lake's CSV tables for the SQL endpoint. Re-parsing CSV on every query costs 100 to 200
// times a scan of the same data in columnar form (docs/benchmarks.md, issue 6), so the server copies each
// CSV-backed entity once into a table of its own DuckDB database file (<directory>/tables.duckdb, attached as
// `cdmlake_cache`) and points the entity's view at it. DuckDB's native storage is scanned about three times
// faster than Parquet (no page decompression and decoding, compressed segments with min/max zone maps), and its
// buffer pool keeps the hot columns in memory. Tables that `cdmlake lake refresh` keeps are Parquet already;
// their views follow the refresh's newest state file.
//
// Wide decimals are narrowed: a DECIMAL(p,s) with p > 18 (F&O's amounts are DECIMAL(32,6)) is stored as
// DECIMAL(18,s) when every value fits, since DuckDB keeps the wide form as 128-bit integers and aggregates it
// about four times slower. The cast fails on the first value that does not fit, and the table is then copied
// again with its declared types, so no value changes; clients see numeric(18,s) for such columns.
//
// A cache table is named after a fingerprint of everything its content depends on (the entity's attributes and
// every data file's path, size and modification time), so a restart reuses it and a changed lake makes a new
// one; Refresh, run at start and then periodically, rebuilds what changed. Tables a view stopped using are
// dropped one refresh later, so queries that started on the old table can finish. Until an entity's cache is
// built its view reads the CSV files, so results never wait for the cache.
//
// Thread-safety: Refresh is called from one thread at a time (the server's cache thread), Stop from any; sessions
// query the views concurrently, which DuckDB's catalog and transactions make safe. One process at a time can
// use a cache directory (DuckDB locks the database file).
#pragma once

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"
#include "lake/entity_files.h"
#include "lake/session.h"

namespace cdmlake::server {

struct CacheReport {
  int built = 0;      // cache tables written by this refresh
  int reused = 0;     // entities whose cache table was current
  int followed = 0;   // refreshed tables whose view moved to a newer state file
  int narrowed = 0;   // decimal columns stored as DECIMAL(18,s) by this refresh
  int moved = 0;      // views pointed at another table or file (their column types may have changed)
  int64_t rows = 0;   // rows written into new cache tables
  std::vector<std::string> problems;  // entities that could not be cached (served from their files meanwhile)
};

class TableCache {
 public:
  // `directory` (absolute) holds the cache database; it must be inside DuckDB's allowed directories. The catalog
  // and the lake session (whose views the cache replaces) must outlive the cache. Throws a user error when
  // another process holds the cache database.
  TableCache(engine::Database& database, const lake::Catalog& catalog, lake::LakeSession& session,
             std::string directory);

  // Builds missing or stale cache tables and points views at them; drops tables no view has used since the
  // previous refresh. Never throws for one entity's failure (see CacheReport::problems). With `build` false only
  // tables that are current already are used (a restart: fast, so the server can do it before it listens).
  CacheReport Refresh(bool build = true);
  // Ends a running Refresh early (from another thread): the copy in progress is interrupted and rolled back;
  // later Refresh calls do nothing.
  void Stop();

  // The name of the attached cache database, for tests and diagnostics.
  static constexpr const char* kDatabase = "cdmlake_cache";

 private:
  // The fingerprint of an entity's content from its metadata and the stat of its files.
  std::string Fingerprint(const cdm::Entity& entity, const std::vector<lake::EntityFile>& files) const;
  // Copies the entity's files into `table`, narrowing wide decimals when every value fits. Returns the rows.
  int64_t Build(const cdm::Entity& entity, const std::vector<cdm::Partition>& partitions, const std::string& table,
                int* narrowed);
  // The cache tables of this entity, whatever their fingerprint.
  std::vector<std::string> CacheTables(const cdm::Entity& entity);
  // Points the entity's view at `select_from` (remembered as `source`) and creates the views over it again when
  // its types changed, in one transaction; throws (and changes nothing) when a dependent view does not fit.
  void PointView(const cdm::Entity& entity, const std::string& source, const std::string& select_from);

  engine::Connection connection_;
  const lake::Catalog& catalog_;
  lake::LakeSession& session_;
  std::string directory_;
  std::map<const cdm::Entity*, std::string> current_;  // entity -> the cache table or state file its view reads
  std::set<std::string> retired_;                      // cache tables to drop at the next refresh
  std::atomic<bool> stopped_{false};
};

}  // namespace cdmlake::server
