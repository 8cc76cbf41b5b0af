// Prints the star schema (star_schema.h) as SQL: the SELECT of each fact and dimension table, for DuckDB (what
// `entitystore process` runs) or for Azure Synapse serverless T-SQL (what a team that stays on Synapse deploys
// with `entitystore ddl --dialect synapse`). Identifiers always go through the dialect's quoting.
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "entitystore/star_schema.h"

namespace cdmlake::entitystore {

enum class Dialect { kDuckDb, kSynapse };

// Quotes an identifier: "x" for DuckDB, [x] for T-SQL.
std::string QuoteName(Dialect dialect, const std::string& name);

// The SELECT producing a fact table's rows from its source.
std::string FactSelect(const FactTable& fact, Dialect dialect);
// The SELECT producing a dimension table's rows. A generated calendar needs the schema (its date range covers
// the fact fields in schema.calendar_fields).
std::string DimensionSelect(const DimensionTable& dimension, const StarSchema& schema, Dialect dialect);
// The same, for a generated calendar whose dates come from `dates_sql` (a query with one DATE column `d`), e.g.
// the FK columns of materialized fact tables; other dimensions ignore it.
std::string DimensionSelect(const DimensionTable& dimension, Dialect dialect, const std::string& dates_sql);

// "CREATE OR REPLACE VIEW name AS select" (DuckDB) or "CREATE OR ALTER VIEW [dbo].[name] AS select" (Synapse).
std::string CreateView(Dialect dialect, const std::string& name, const std::string& select);

}  // namespace cdmlake::entitystore
