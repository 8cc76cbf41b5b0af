// PostgreSQL's system catalog as clients expect to find it. DuckDB's own pg_catalog is read-only and too thin for
// psql's \d commands, pgJDBC's DatabaseMetaData, psqlODBC and Npgsql (see the spec's replay results), so the
// server keeps its own: views and macros in a normal schema, built from DuckDB's catalog with PostgreSQL type
// OIDs and stable object OIDs, and a rewrite of client SQL that sends pg_catalog and information_schema names,
// regclass casts and PostgreSQL-only operators there.
//
// Thread-safety: built once at server start; Rewrite and PrepareConnection are const and may be called from
// every session thread.
#pragma once

#include <string>

#include "duckdb.h"
#include "engine/database.h"

namespace cdmlake::server {

class CatalogEmulation {
 public:
  // Creates the emulation objects in `database` (after the lake's tables and views exist).
  CatalogEmulation(engine::Database& database, std::string database_name);

  // Client SQL → SQL DuckDB runs against the emulation.
  std::string Rewrite(const std::string& sql) const;
  // Prepares a new session connection (search path, session-level objects).
  void PrepareConnection(duckdb_connection connection) const;

  const std::string& database_name() const { return database_name_; }

 private:
  std::string database_name_;
};

}  // namespace cdmlake::server
