// T-SQL data types and CONVERT styles, mapped to DuckDB. Used by the CAST and CONVERT rules.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "tsql/token_list.h"

namespace cdmlake::tsql {

enum class TypeCategory { kString, kDate, kTimestamp, kTime, kNumber, kOther };

struct MappedType {
  bool known = false;  // false: not a T-SQL type name this module knows; sql then holds the type as written
  std::string sql;     // the DuckDB type, e.g. "VARCHAR", "DECIMAL(32,16)", "TIMESTAMP"
  TypeCategory category = TypeCategory::kOther;
  int length = -1;     // kString: the declared length, -1 for MAX or none (CONVERT truncates to it)
};

// Maps the type written in tokens[range] (e.g. NVARCHAR ( 10 ), NUMERIC(32, 16), [datetime]):
// NVARCHAR/VARCHAR/NCHAR/CHAR/NTEXT/TEXT/SYSNAME/XML -> VARCHAR; DATETIME/DATETIME2/SMALLDATETIME -> TIMESTAMP;
// DATETIMEOFFSET -> TIMESTAMPTZ; DATE; TIME; INT -> INTEGER; BIGINT; SMALLINT; TINYINT -> UTINYINT (0..255 in
// T-SQL); BIT -> BOOLEAN; NUMERIC/DECIMAL(p,s) -> DECIMAL(min(p,38),s); MONEY -> DECIMAL(19,4); SMALLMONEY ->
// DECIMAL(10,4); FLOAT -> DOUBLE (FLOAT(n<=24) -> FLOAT); REAL -> FLOAT; UNIQUEIDENTIFIER -> UUID;
// VARBINARY/BINARY/IMAGE/ROWVERSION/TIMESTAMP -> BLOB (T-SQL's TIMESTAMP is a row version, not a time).
MappedType MapType(const Tokens& tokens, Range range);

// The strftime/strptime format of a CONVERT date style (0, 1, 100, 101, 3, 103, 112, 120, 121, 126, 23, ...),
// or "" when the style is not one this module knows.
std::string DateStyleFormat(int style);
// True for styles whose text DuckDB's own cast parses (ISO 8601 forms: 20, 21, 23, 120, 121, 126, 127), so a
// string -> date CONVERT needs no strptime.
bool IsIsoDateStyle(int style);

}  // namespace cdmlake::tsql
