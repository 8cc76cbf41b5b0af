// From DuckDB result types back to CDM attributes, for writing query results as CDM folders. Every DuckDB type
// has a CDM form: nested types (LIST, STRUCT, MAP...) are written as JSON text, unsigned and 128-bit integers as
// decimals that hold them. Pure functions; thread-safe.
#pragma once

#include <string>

#include "cdm/model.h"
#include "duckdb.h"

namespace cdmlake::lake {

// The attribute for a column of this name and type; nullable, not a key.
cdm::Attribute AttributeForColumn(const std::string& name, duckdb_logical_type type);

// The SQL expression that writes the column in its CDM form (the quoted column itself, or to_json(...) for
// nested types, or a cast where the CDM form differs).
std::string ColumnForWriting(const std::string& quoted_column, duckdb_logical_type type);

}  // namespace cdmlake::lake
