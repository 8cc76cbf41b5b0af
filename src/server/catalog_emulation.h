// PostgreSQL's system catalog as clients expect to find it. DuckDB's own pg_catalog is read-only and too thin for
// psql's \d commands, pgJDBC's DatabaseMetaData, psqlODBC and Npgsql (see the spec's replay results), so the
// server keeps its own: relations and macros in two normal schemas of the database ("pg_emul" for pg_catalog,
// "pg_emul_info" for information_schema), built from DuckDB's catalog with PostgreSQL type OIDs and stable
// object OIDs, and a rewrite of client SQL that sends pg_catalog and information_schema names, regclass casts
// and PostgreSQL-only operators there. The relations read from DuckDB's catalog are snapshots taken when the
// server starts and taken again (RefreshSnapshots) when the server's lake watcher changed views: saved views
// added or dropped while serving, tables moved to the cache with narrower types.
//
// How the lake looks through the emulation:
// - Schemas: DuckDB's "main" is PostgreSQL's "public" (OID 2200, the only schema on the search path, so \dt lists
//   the unique-named entities); the lake's own schemas ("Tables", …) appear under their names. The emulation
//   schemas appear as pg_catalog (OID 11) and information_schema. A schema "public" is created in DuckDB with a
//   view per object of main, so that the names clients build from the catalog (public."CustTable") resolve.
// - Relations: DuckDB tables, and the views the lake defines over its files (reading read_csv/read_parquet, or
//   main's alias of such a view), are tables (relkind 'r'); other views are views ('v'). Primary keys and unique
//   constraints are indexes ('i') named like PostgreSQL's (<table>_pkey, <table>_<cols>_key).
// - OIDs: derived from an MD5 of kind, schema and name into [16384, 2^31), so they are the same on every start
//   and in every session; types keep PostgreSQL's OIDs (pg_types.h), pg_catalog relations PostgreSQL's own OIDs.
//
// Thread-safety: built once at server start; Rewrite and PrepareConnection are const and may be called from
// every session thread; RefreshSnapshots from one thread at a time (it replaces the snapshots in one transaction,
// so sessions see either the old or the new catalog).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "duckdb.h"
#include "engine/database.h"

namespace cdmlake::server {

// The DuckDB schemas holding the emulation (pg_catalog's and information_schema's stand-ins).
inline constexpr const char* kPgCatalogSchema = "pg_emul";
inline constexpr const char* kInformationSchema = "pg_emul_info";

class CatalogEmulation {
 public:
  // Creates the emulation objects in `database` (after the lake's tables and views exist); `database_name` is the
  // name clients connect to (pg_database, current_database()). Throws engine::EngineError when DuckDB refuses a
  // definition.
  CatalogEmulation(engine::Database& database, std::string database_name);

  // Client SQL → SQL DuckDB runs against the emulation. Statements that name nothing of the catalog come back
  // unchanged (a cheap scan decides); others are rewritten token by token (catalog_rewrite.cc).
  std::string Rewrite(const std::string& sql) const;
  // Prepares a new session connection. Nothing is session-local today (the emulation lives in the shared
  // database); kept so session-level objects have a place.
  void PrepareConnection(duckdb_connection connection) const;

  // Takes the snapshots again, after column types of the lake's relations changed (the table cache stores wide
  // decimals narrower), so pg_attribute and information_schema.columns describe what queries return.
  void RefreshSnapshots(engine::Database& database);

  const std::string& database_name() const { return database_name_; }

 private:
  std::string database_name_;
  std::string schema_;         // the quoted pg_catalog stand-in
  std::string duck_database_;  // DuckDB's database name, quoted as a literal
  std::vector<std::string> snapshot_fills_;
  // Names of the emulation's relations and macros, which the rewrite redirects.
  std::set<std::string> catalog_names_;
  std::set<std::string> information_names_;
};

}  // namespace cdmlake::server
