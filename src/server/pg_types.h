// The type layer of the PostgreSQL endpoint: which PostgreSQL type a DuckDB column is reported as, how its values
// are written into DataRow fields (PostgreSQL's text output or binary "send" format, byte for byte as
// PostgreSQL 15 writes them), and how Bind parameters in either format become DuckDB values.
//
// DuckDB renders values differently from PostgreSQL (`true` vs `t`, `[1, 2]` vs `{1,2}`, raw blobs vs `\x…`), so
// the server formats every value itself from the result vectors; it never asks DuckDB for text.
//
// Thread-safety: everything here is stateless or immutable after construction. A ColumnEncoder may be used by
// several threads at once; the session builds one per column per result anyway.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "duckdb.h"

namespace cdmlake::server {

// PostgreSQL's type OIDs (pg_type.oid), fixed since forever, so clients hard-code them.
namespace pgoid {
inline constexpr int32_t kBool = 16, kBytea = 17, kChar = 18, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23,
                         kRegproc = 24, kText = 25, kOid = 26, kJson = 114, kFloat4 = 700, kFloat8 = 701,
                         kUnknown = 705, kBpchar = 1042, kVarchar = 1043, kDate = 1082, kTime = 1083,
                         kTimestamp = 1114, kTimestamptz = 1184, kInterval = 1186, kTimetz = 1266,
                         kNumeric = 1700, kRegclass = 2205, kRegtype = 2206, kUuid = 2950, kJsonb = 3802;
inline constexpr int32_t kBoolArray = 1000, kInt2Array = 1005, kInt4Array = 1007, kTextArray = 1009,
                         kVarcharArray = 1015, kInt8Array = 1016, kFloat4Array = 1021, kFloat8Array = 1022,
                         kNumericArray = 1231, kDateArray = 1182, kTimestampArray = 1115,
                         kTimestamptzArray = 1185, kUuidArray = 2951, kJsonArray = 199, kByteaArray = 1001,
                         kTimeArray = 1183, kIntervalArray = 1187, kTimetzArray = 1270, kCharArray = 1002,
                         kNameArray = 1003, kBpcharArray = 1014, kOidArray = 1028, kJsonbArray = 3807;
}  // namespace pgoid

// How a column is described in RowDescription.
struct PgType {
  int32_t oid = pgoid::kText;
  int16_t typlen = -1;
  int32_t typmod = -1;
};

inline bool operator==(const PgType& a, const PgType& b) {
  return a.oid == b.oid && a.typlen == b.typlen && a.typmod == b.typmod;
}

// The PostgreSQL type reported for a DuckDB type: TINYINT/UTINYINT/SMALLINT → int2, USMALLINT/INTEGER → int4,
// UINTEGER/BIGINT → int8, UBIGINT/HUGEINT/UHUGEINT/BIGNUM → numeric, FLOAT → float4, DOUBLE → float8,
// DECIMAL(p,s) → numeric with typmod ((p<<16)|s)+4, VARCHAR → text (the alias JSON → json), BLOB → bytea,
// DATE, TIME/TIME_NS → time, TIME_TZ → timetz, TIMESTAMP/_S/_MS/_NS → timestamp, TIMESTAMPTZ → timestamptz,
// INTERVAL, UUID, BOOLEAN; LIST/ARRAY of X → the array of X's type (nested lists → text in array syntax);
// STRUCT/MAP/UNION → json; ENUM, BIT, SQLNULL and anything else → text.
PgType PgTypeOf(duckdb_logical_type type);

// The name PostgreSQL's format_type(oid, typmod) prints ("integer", "numeric(18,2)", "character varying",
// "timestamp with time zone", "integer[]"), for catalog emulation. Unknown OIDs print as "???" like PostgreSQL.
std::string PgTypeName(const PgType& type);

// The array type whose elements have type `element_oid` (0 when PostgreSQL has none we know), and the reverse.
int32_t ArrayOidOf(int32_t element_oid);
int32_t ElementOidOf(int32_t array_oid);
// pg_type.typlen for an OID (-1 for variable length).
int16_t TypeLength(int32_t oid);

// Session settings that change how values are rendered as text.
struct TextSettings {
  int extra_float_digits = 1;
  std::string time_zone = "UTC";
};

// Whether `name` is a TimeZone value PostgreSQL would accept and we can apply, for validating SET TimeZone: IANA
// names in any case ("Europe/Berlin", "utc", "EST5EDT"), hours east ("+02", "-8", "5.5") and POSIX forms without a
// daylight-saving rule, whose offsets count west ("UTC+3" is three hours behind UTC; JDBC sends "GMT-02:00" for
// UTC+2). Values of timestamptz render in UTC when TextSettings::time_zone is not one.
bool IsKnownTimeZone(std::string_view name);
// The spelling SHOW TimeZone reports: ICU's for IANA names ("europe/berlin" → "Europe/Berlin"), else `name`;
// "" when unknown.
std::string CanonicalTimeZoneName(std::string_view name);

namespace internal {
struct ValueType;
struct FormatContext;
}  // namespace internal

// Encodes the values of one result column into DataRow fields. Built once per column per result.
class ColumnEncoder {
 public:
  // `type` is borrowed for the call only. When `binary` is set but SupportsBinary is false for the type, the
  // encoder writes text (the session reports text for that column).
  ColumnEncoder(duckdb_logical_type type, bool binary, const TextSettings& settings);
  ~ColumnEncoder();
  ColumnEncoder(ColumnEncoder&&) noexcept;
  ColumnEncoder& operator=(ColumnEncoder&&) noexcept;

  const PgType& pg_type() const { return pg_type_; }
  // Whether Append writes the binary format.
  bool binary() const { return binary_; }
  // Appends the field for `row` of `vector` to out: Int32 length (big-endian; -1 for NULL) then the bytes, in
  // PostgreSQL's text output format or its binary (send) format. `vector` must have the type given at
  // construction (a column of a chunk of the result).
  void Append(duckdb_vector vector, idx_t row, std::string* out) const;
  // The value alone (no length prefix); nullopt for NULL. For tests and COPY.
  std::optional<std::string> Encode(duckdb_vector vector, idx_t row) const;

  // Whether binary format is supported for this type (if not, the session answers in text for that column;
  // PostgreSQL would error but clients only ask binary for types they know).
  static bool SupportsBinary(const PgType& type);

 private:
  PgType pg_type_;
  bool binary_ = false;
  std::unique_ptr<const internal::ValueType> type_;
  std::unique_ptr<const internal::FormatContext> context_;
};

// A Bind parameter decoded into a DuckDB value (caller owns; destroy with duckdb_destroy_value), or nullptr for
// SQL NULL when `bytes` is nullopt. `index` is 1-based ($1). `type_oid` is the type given by Parse (0 =
// unspecified: text is then bound as VARCHAR and DuckDB casts); `binary` selects the binary (recv) format.
// Throws PgError 22P02 (bad text), 22P03 (bad binary), 08P01 (binary value too short), 22003 (out of range),
// 22021 (invalid UTF-8) or 0A000 (no binary input for the type), with a message naming the parameter.
duckdb_value DecodeParameter(int index, int32_t type_oid, bool binary, std::optional<std::string_view> bytes);

// The PostgreSQL type for a DuckDB prepared-statement parameter type; unknown (DUCKDB_TYPE_INVALID) and
// composite types report text, as PostgreSQL infers text for untyped parameters in most contexts.
int32_t ParameterTypeOid(duckdb_type type);

}  // namespace cdmlake::server
