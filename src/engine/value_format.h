// Formats the values of DuckDB result vectors as text, the way DuckDB's own cast to VARCHAR does, without the
// deprecated duckdb_value_* calls (which crash on some types). Covers every type a query over a CDM lake can
// produce, including nested LIST, ARRAY, STRUCT and MAP values. Thread-safe (no state).
#pragma once

#include <optional>
#include <string>

#include "duckdb.h"

namespace cdmlake::engine {

// The text of row `row` of `vector` (whose logical type is `type`), or nullopt for NULL.
std::optional<std::string> FormatCell(duckdb_vector vector, duckdb_logical_type type, idx_t row);

// How a value of this type is written in JSON: as a bare number, a bare boolean, or a string.
enum class JsonKind { kNumber, kBoolean, kString };
JsonKind JsonKindOf(duckdb_type type);

// DuckDB's name for a type, e.g. "DECIMAL(18,2)" or "VARCHAR[]".
std::string TypeName(duckdb_logical_type type);

}  // namespace cdmlake::engine
