// Internals shared by the files of the type layer: pg_types.cc (mapping, names, ColumnEncoder), pg_text_format.cc
// and pg_json_format.cc (text output), pg_binary_format.cc (send), pg_parameters.cc (Bind input) and
// pg_types_time_zone.cc (the TimeZone setting). Here: a DuckDB type flattened into a tree the encoders walk without
// calling back into DuckDB's type API, vector access helpers, and the calendar and digit arithmetic the formats
// share.
//
// Thread-safety: immutable after construction.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "duckdb.h"
#include "server/pg_types.h"

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class TimeZone;
U_NAMESPACE_END

namespace cdmlake::server::internal {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

// How a vector's values are stored and rendered.
enum class Kind {
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kHugeint,
  kUHugeint,
  kFloat,
  kDouble,
  kDecimal,
  kVarchar,
  kBlob,
  kDate,
  kTime,
  kTimeNs,
  kTimeTz,
  kTimestamp,
  kTimestampS,
  kTimestampMs,
  kTimestampNs,
  kTimestampTz,
  kInterval,
  kUuid,
  kEnum,
  kBit,
  kBignum,
  kList,
  kArray,
  kStruct,
  kMap,
  kUnion,
  kNull,
  kUnsupported,  // a type we cannot read from vectors (VARIANT, ...): rendered as NULL
};

struct ValueType {
  Kind kind = Kind::kUnsupported;
  PgType pg;
  bool json = false;            // VARCHAR with the JSON alias
  Kind storage = Kind::kInt64;  // DECIMAL and ENUM: the integer type that holds the value
  int scale = 0;                // DECIMAL
  idx_t array_size = 0;         // ARRAY
  // LIST/ARRAY: the element; STRUCT: the fields; MAP: key and value; UNION: the members (tag excluded).
  std::vector<ValueType> children;
  // STRUCT field names, UNION member names, ENUM dictionary.
  std::vector<std::string> names;
};

ValueType DescribeType(duckdb_logical_type type);

// A TimeZone setting: an ICU zone, or a fixed offset for UTC and the numeric and POSIX forms.
struct ResolvedZone {
  bool known = false;
  std::unique_ptr<icu::TimeZone> zone;  // nullptr: fixed_offset
  int32_t fixed_offset = 0;             // seconds east of Greenwich
  std::string canonical_name;           // IANA names in ICU's spelling, others as given
};
ResolvedZone ResolveTimeZone(std::string_view name);

// A zone's UTC offsets over a range of instants: offsets[i] applies from starts[i] (ms since 1970) to the next.
struct OffsetTable {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::vector<int64_t> starts;
  std::vector<int32_t> offsets;  // seconds east
};

// The session state text rendering depends on.
struct FormatContext {
  explicit FormatContext(const TextSettings& settings);
  ~FormatContext();
  int extra_float_digits = 1;
  std::unique_ptr<icu::TimeZone> zone;  // nullptr: fixed_offset (UTC when the setting is unknown)
  int32_t fixed_offset = 0;
  std::shared_ptr<const OffsetTable> offsets;  // the zone's offsets from 1900 to 2100, shared by all contexts
  // Offset from UTC in seconds east at the instant `epoch_micros` (µs since 1970-01-01 UTC).
  int32_t UtcOffset(int64_t epoch_micros) const;
};

// Vector access. Result vectors from the C API are flat, so row indexes the data directly.
inline bool IsValid(duckdb_vector vector, idx_t row) {
  uint64_t* validity = duckdb_vector_get_validity(vector);
  return validity == nullptr || duckdb_validity_row_is_valid(validity, row);
}
template <typename T>
T Get(duckdb_vector vector, idx_t row) {
  T value;
  std::memcpy(&value, static_cast<const char*>(duckdb_vector_get_data(vector)) + row * sizeof(T), sizeof(T));
  return value;
}
inline std::string_view GetString(duckdb_vector vector, idx_t row) {
  auto* strings = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vector));
  return {duckdb_string_t_data(&strings[row]), duckdb_string_t_length(strings[row])};
}
inline Int128 ToInt128(duckdb_hugeint value) {
  return static_cast<Int128>((static_cast<UInt128>(static_cast<uint64_t>(value.upper)) << 64) | value.lower);
}
inline UInt128 ToUInt128(duckdb_uhugeint value) { return (static_cast<UInt128>(value.upper) << 64) | value.lower; }
// A DECIMAL's or an integer's stored value widened to 128 bits.
Int128 GetInteger(Kind storage, duckdb_vector vector, idx_t row);

// Decimal digits of an unsigned 128-bit integer.
std::string UInt128ToString(UInt128 value);
// The exact decimal text of `value` / 10^scale ("12.30", "-0.05").
std::string ScaledToString(Int128 value, int scale);
// The 16 bytes of a DuckDB UUID (stored as a hugeint with its top bit flipped), in network order.
void UuidBytes(duckdb_hugeint value, unsigned char bytes[16]);

// Proleptic Gregorian calendar, as both DuckDB and PostgreSQL use it. Year 0 is 1 BC.
struct CivilDate {
  int64_t year;
  int month;
  int day;
};
CivilDate CivilFromDays(int64_t days_since_1970);
int64_t DaysFromCivil(int64_t year, int month, int day);

// Microseconds since 1970-01-01 of a timestamp stored in `kind` (kTimestamp/_S/_MS/_NS/_Tz); infinities map to
// INT64_MAX / INT64_MIN.
int64_t TimestampMicros(Kind kind, duckdb_vector vector, idx_t row);
inline constexpr int32_t kDuckDateInfinity = 2147483647;   // date 'infinity' in DuckDB
inline constexpr int32_t kDuckDateNegInfinity = -2147483647;
inline constexpr int64_t kDuckTimestampInfinity = INT64_MAX;
inline constexpr int64_t kDuckTimestampNegInfinity = -INT64_MAX;
inline constexpr int64_t kMicrosPerDay = 86400000000LL;
inline constexpr int32_t kPgEpochDays = 10957;                     // 2000-01-01 - 1970-01-01 in days
inline constexpr int64_t kPgEpochMicros = 946684800000000LL;       // the same in microseconds

inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0 && ((a < 0) != (b < 0))) ? 1 : 0); }

// "YYYY-MM-DD HH:MM:SS[.ffffff]" (infinity, BC); with `zone_context` in its time zone followed by the offset.
void AppendTimestampText(std::string* out, int64_t epoch_micros, const FormatContext* zone_context);
// IntervalStyle postgres: "1 year 2 mons -3 days +04:05:06.5".
void AppendIntervalText(std::string* out, duckdb_interval value);

// Pieces of the text format the JSON rendering shares.
// "HH:MM:SS[.ffffff]" for a non-negative time of day (24:00:00 included).
void AppendTimeOfDay(std::string* out, int64_t micros);
// EncodeTimezone: "+HH", "+HH:MM" or "+HH:MM:SS"; `always_minutes` for the XSD style of JSON.
void AppendOffset(std::string* out, int32_t offset_east, bool always_minutes);
// "YYYY-MM-DD" without the era; returns whether the year is BC.
bool AppendCivilDate(std::string* out, int64_t days);
// The child vector and the range of a LIST or ARRAY row.
struct ListRange {
  duckdb_vector child;
  idx_t offset;
  idx_t length;
};
ListRange GetListRange(const ValueType& type, duckdb_vector vector, idx_t row);

// Text rendering of one non-NULL value (PostgreSQL's output function).
void AppendText(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                std::string* out);
// JSON rendering of one value, NULL included (for STRUCT/MAP/UNION columns and their insides).
void AppendJson(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                std::string* out);
// Binary (send) rendering of one non-NULL value; the type must pass SupportsBinary.
void AppendBinary(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                  std::string* out);

// Big-endian writers.
inline void PutInt16(std::string* out, int16_t v) {
  auto u = static_cast<uint16_t>(v);
  out->push_back(static_cast<char>(u >> 8));
  out->push_back(static_cast<char>(u));
}
inline void PutInt32(std::string* out, int32_t v) {
  auto u = static_cast<uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(u >> shift));
}
inline void PutInt64(std::string* out, int64_t v) {
  auto u = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(u >> shift));
}

}  // namespace cdmlake::server::internal
