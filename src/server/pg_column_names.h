// PostgreSQL's output names for the unaliased items of a SELECT list.
//
// DuckDB names an unaliased expression after its text (`sum(x)`, `count_star()`, `CAST(x AS INTEGER)`,
// `(1 + 1)`); PostgreSQL names it by FigureColname (src/backend/parser/parse_target.c): a column reference by its
// last name, a function call by its function name, a cast by its operand's name or else the target type's name,
// CASE by its ELSE branch's name or else "case", everything else "?column?". BI tools show these names as column
// headers, so the server gives PostgreSQL's.
//
// The names are computed from DuckDB's parse tree of the client's statement (json_serialize_sql). DuckDB's names
// are kept for aliased items, for the columns a `*` expands to, and for the whole statement whenever the tree
// cannot be had or cannot be mapped onto the output columns (several stars, a count mismatch, UNION BY NAME, a
// statement other than a query). A UNION takes the names of its first branch, as in PostgreSQL.
//
// Pure functions apart from PgColumnNamesFor, which runs json_serialize_sql on the session's connection and keeps
// the names of recent statements in a cache shared by the sessions (thread-safe). Statements whose DuckDB names
// are all plain identifiers (column references, aliases) need no parse tree and cost nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "duckdb.h"

namespace cdmlake::server {

// The output names of `sql`, given the parse tree `ast_json` (json_serialize_sql's answer for that same text,
// whose query locations are offsets into it) and DuckDB's names of the prepared statement's columns.
std::vector<std::string> PgColumnNames(std::string_view ast_json, std::string_view sql,
                                       const std::vector<std::string>& duckdb_names);

// The same with the parse tree asked of DuckDB on `connection` (no rows are read; a statement that DuckDB cannot
// serialize keeps DuckDB's names). Throws PgError 57014 when the session's statement is interrupted meanwhile.
std::vector<std::string> PgColumnNamesFor(duckdb_connection connection, const std::string& sql,
                                          const std::vector<std::string>& duckdb_names);

// The name PostgreSQL gives a type named as written in SQL (`integer` → int4, `double precision` → float8,
// `character varying(10)` → varchar, `timestamp with time zone` → timestamptz, `pg_catalog.int4` → int4, `text`
// → text): the last component of the type name after the grammar's keyword mapping. Empty when `written` does not
// start with a type name.
std::string PgTypeNameOf(std::string_view written);

}  // namespace cdmlake::server
