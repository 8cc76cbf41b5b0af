// Pieces of the catalog emulation shared by its source files (catalog_emulation.cc builds the objects,
// catalog_views.cc holds their SQL, catalog_rewrite.cc rewrites client SQL). Pure functions; thread-safe.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace cdmlake::server::catalog {

// What the definitions are instantiated with.
struct CatalogNames {
  std::string schema;         // quoted identifier of the pg_catalog stand-in
  std::string info_schema;    // quoted identifier of the information_schema stand-in
  std::string schema_name;    // the same, unquoted, as string literals
  std::string info_name;
  std::string duck_database;  // literal: the DuckDB database holding the lake ('memory')
  std::string database_name;  // literal: the name clients connect to
  std::string version;        // literal: what version() returns
};

// The CREATE statements of the emulation, in dependency order: first the helpers (the OID macro, the lake's
// schemas and relations), then — after catalog_emulation.cc has created and filled the tables they read
// (_coltype, _format_type, _pg_type_base, _pg_proc_base, _system_oid) — the catalog's views and macros.
std::vector<std::string> CatalogHelperDefinitions(const CatalogNames& names);
std::vector<std::string> CatalogDefinitions(const CatalogNames& names);
// The statements filling the snapshot tables from their live views, in dependency order; run last.
std::vector<std::string> SnapshotFills(const CatalogNames& names);

// Rewrites one client statement (see CatalogEmulation::Rewrite). `catalog_names` and `information_names` are
// the objects of the two emulation schemas; `schema` and `info_schema` their quoted names.
std::string RewriteCatalogSql(const std::string& sql, const std::set<std::string>& catalog_names,
                              const std::set<std::string>& information_names, const std::string& schema,
                              const std::string& info_schema);

// Whether the statement may touch the catalog at all (the fast path's test).
bool MayTouchCatalog(const std::string& sql);

}  // namespace cdmlake::server::catalog
