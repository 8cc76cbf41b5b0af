// The DuckDB → PostgreSQL type mapping, type names, the column encoder and the helpers the formats share.
#include "server/pg_types.h"

#include <unicode/timezone.h>

#include <algorithm>
#include <cctype>

#include "server/pg_format_internal.h"

namespace cdmlake::server {
namespace internal {
namespace {

// Owns a logical type returned by DuckDB's type accessors.
class TypeHolder {
 public:
  explicit TypeHolder(duckdb_logical_type type) : type_(type) {}
  ~TypeHolder() { duckdb_destroy_logical_type(&type_); }
  TypeHolder(const TypeHolder&) = delete;
  TypeHolder& operator=(const TypeHolder&) = delete;
  duckdb_logical_type get() const { return type_; }

 private:
  duckdb_logical_type type_;
};

std::string TakeString(char* text) {
  std::string result = text == nullptr ? "" : text;
  duckdb_free(text);
  return result;
}

Kind IntegerKind(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_TINYINT: return Kind::kInt8;
    case DUCKDB_TYPE_SMALLINT: return Kind::kInt16;
    case DUCKDB_TYPE_INTEGER: return Kind::kInt32;
    case DUCKDB_TYPE_BIGINT: return Kind::kInt64;
    case DUCKDB_TYPE_UTINYINT: return Kind::kUInt8;
    case DUCKDB_TYPE_USMALLINT: return Kind::kUInt16;
    case DUCKDB_TYPE_UINTEGER: return Kind::kUInt32;
    case DUCKDB_TYPE_UBIGINT: return Kind::kUInt64;
    default: return Kind::kHugeint;
  }
}

PgType Scalar(int32_t oid, int32_t typmod = -1) { return PgType{oid, TypeLength(oid), typmod}; }

// Kinds with a direct PostgreSQL counterpart; the rest are described in DescribeType.
bool DescribeSimple(duckdb_type id, ValueType* out) {
  struct Entry {
    duckdb_type id;
    Kind kind;
    int32_t oid;
  };
  static constexpr Entry kEntries[] = {
      {DUCKDB_TYPE_BOOLEAN, Kind::kBool, pgoid::kBool},
      {DUCKDB_TYPE_TINYINT, Kind::kInt8, pgoid::kInt2},
      {DUCKDB_TYPE_UTINYINT, Kind::kUInt8, pgoid::kInt2},
      {DUCKDB_TYPE_SMALLINT, Kind::kInt16, pgoid::kInt2},
      {DUCKDB_TYPE_USMALLINT, Kind::kUInt16, pgoid::kInt4},
      {DUCKDB_TYPE_INTEGER, Kind::kInt32, pgoid::kInt4},
      {DUCKDB_TYPE_UINTEGER, Kind::kUInt32, pgoid::kInt8},
      {DUCKDB_TYPE_BIGINT, Kind::kInt64, pgoid::kInt8},
      {DUCKDB_TYPE_UBIGINT, Kind::kUInt64, pgoid::kNumeric},
      {DUCKDB_TYPE_HUGEINT, Kind::kHugeint, pgoid::kNumeric},
      {DUCKDB_TYPE_UHUGEINT, Kind::kUHugeint, pgoid::kNumeric},
      {DUCKDB_TYPE_BIGNUM, Kind::kBignum, pgoid::kNumeric},
      {DUCKDB_TYPE_FLOAT, Kind::kFloat, pgoid::kFloat4},
      {DUCKDB_TYPE_DOUBLE, Kind::kDouble, pgoid::kFloat8},
      {DUCKDB_TYPE_BLOB, Kind::kBlob, pgoid::kBytea},
      {DUCKDB_TYPE_DATE, Kind::kDate, pgoid::kDate},
      {DUCKDB_TYPE_TIME, Kind::kTime, pgoid::kTime},
      {DUCKDB_TYPE_TIME_NS, Kind::kTimeNs, pgoid::kTime},
      {DUCKDB_TYPE_TIME_TZ, Kind::kTimeTz, pgoid::kTimetz},
      {DUCKDB_TYPE_TIMESTAMP, Kind::kTimestamp, pgoid::kTimestamp},
      {DUCKDB_TYPE_TIMESTAMP_S, Kind::kTimestampS, pgoid::kTimestamp},
      {DUCKDB_TYPE_TIMESTAMP_MS, Kind::kTimestampMs, pgoid::kTimestamp},
      {DUCKDB_TYPE_TIMESTAMP_NS, Kind::kTimestampNs, pgoid::kTimestamp},
      {DUCKDB_TYPE_TIMESTAMP_TZ, Kind::kTimestampTz, pgoid::kTimestamptz},
      {DUCKDB_TYPE_INTERVAL, Kind::kInterval, pgoid::kInterval},
      {DUCKDB_TYPE_UUID, Kind::kUuid, pgoid::kUuid},
      {DUCKDB_TYPE_BIT, Kind::kBit, pgoid::kText},
      {DUCKDB_TYPE_SQLNULL, Kind::kNull, pgoid::kText},
  };
  for (const Entry& entry : kEntries) {
    if (entry.id == id) {
      out->kind = entry.kind;
      out->pg = Scalar(entry.oid);
      return true;
    }
  }
  return false;
}

void DescribeList(duckdb_logical_type element_type, ValueType* out) {
  out->children.push_back(DescribeType(element_type));
  const ValueType& element = out->children.front();
  bool nested = element.kind == Kind::kList || element.kind == Kind::kArray;
  int32_t array_oid = nested ? 0 : ArrayOidOf(element.pg.oid);
  // Nested lists have no PostgreSQL type (its arrays are rectangular): text, written in array syntax.
  out->pg = array_oid == 0 ? Scalar(pgoid::kText) : PgType{array_oid, -1, element.pg.typmod};
}

void DescribeStruct(duckdb_logical_type type, ValueType* out) {
  idx_t count = duckdb_struct_type_child_count(type);
  for (idx_t i = 0; i < count; ++i) {
    TypeHolder child(duckdb_struct_type_child_type(type, i));
    out->children.push_back(DescribeType(child.get()));
    out->names.push_back(TakeString(duckdb_struct_type_child_name(type, i)));
  }
}

void DescribeUnion(duckdb_logical_type type, ValueType* out) {
  idx_t count = duckdb_union_type_member_count(type);
  for (idx_t i = 0; i < count; ++i) {
    TypeHolder member(duckdb_union_type_member_type(type, i));
    out->children.push_back(DescribeType(member.get()));
    out->names.push_back(TakeString(duckdb_union_type_member_name(type, i)));
  }
}

void DescribeEnum(duckdb_logical_type type, ValueType* out) {
  out->storage = IntegerKind(duckdb_enum_internal_type(type));
  uint32_t size = duckdb_enum_dictionary_size(type);
  for (uint32_t i = 0; i < size; ++i) out->names.push_back(TakeString(duckdb_enum_dictionary_value(type, i)));
}

void DescribeDecimal(duckdb_logical_type type, ValueType* out) {
  int width = duckdb_decimal_width(type);
  out->scale = duckdb_decimal_scale(type);
  out->storage = IntegerKind(duckdb_decimal_internal_type(type));
  out->pg = PgType{pgoid::kNumeric, -1, ((width << 16) | out->scale) + 4};
}

}  // namespace

ValueType DescribeType(duckdb_logical_type type) {
  ValueType result;
  duckdb_type id = duckdb_get_type_id(type);
  if (DescribeSimple(id, &result)) return result;
  switch (id) {
    case DUCKDB_TYPE_VARCHAR:
      result.kind = Kind::kVarchar;
      result.json = TakeString(duckdb_logical_type_get_alias(type)) == "JSON";
      result.pg = Scalar(result.json ? pgoid::kJson : pgoid::kText);
      break;
    case DUCKDB_TYPE_DECIMAL:
      result.kind = Kind::kDecimal;
      DescribeDecimal(type, &result);
      break;
    case DUCKDB_TYPE_ENUM:
      result.kind = Kind::kEnum;
      result.pg = Scalar(pgoid::kText);
      DescribeEnum(type, &result);
      break;
    case DUCKDB_TYPE_LIST: {
      result.kind = Kind::kList;
      TypeHolder child(duckdb_list_type_child_type(type));
      DescribeList(child.get(), &result);
      break;
    }
    case DUCKDB_TYPE_ARRAY: {
      result.kind = Kind::kArray;
      result.array_size = duckdb_array_type_array_size(type);
      TypeHolder child(duckdb_array_type_child_type(type));
      DescribeList(child.get(), &result);
      break;
    }
    case DUCKDB_TYPE_STRUCT:
      result.kind = Kind::kStruct;
      result.pg = Scalar(pgoid::kJson);
      DescribeStruct(type, &result);
      break;
    case DUCKDB_TYPE_MAP: {
      result.kind = Kind::kMap;
      result.pg = Scalar(pgoid::kJson);
      TypeHolder key(duckdb_map_type_key_type(type));
      TypeHolder value(duckdb_map_type_value_type(type));
      result.children.push_back(DescribeType(key.get()));
      result.children.push_back(DescribeType(value.get()));
      break;
    }
    case DUCKDB_TYPE_UNION:
      result.kind = Kind::kUnion;
      result.pg = Scalar(pgoid::kJson);
      DescribeUnion(type, &result);
      break;
    default:
      result.kind = Kind::kUnsupported;
      result.pg = Scalar(pgoid::kText);
      break;
  }
  return result;
}

Int128 GetInteger(Kind storage, duckdb_vector vector, idx_t row) {
  switch (storage) {
    case Kind::kInt8: return Get<int8_t>(vector, row);
    case Kind::kInt16: return Get<int16_t>(vector, row);
    case Kind::kInt32: return Get<int32_t>(vector, row);
    case Kind::kInt64: return Get<int64_t>(vector, row);
    case Kind::kUInt8: return Get<uint8_t>(vector, row);
    case Kind::kUInt16: return Get<uint16_t>(vector, row);
    case Kind::kUInt32: return Get<uint32_t>(vector, row);
    case Kind::kUInt64: return Get<uint64_t>(vector, row);
    default: return ToInt128(Get<duckdb_hugeint>(vector, row));
  }
}

std::string UInt128ToString(UInt128 value) {
  char buffer[48];
  char* end = buffer + sizeof(buffer);
  char* p = end;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  return std::string(p, end);
}

std::string ScaledToString(Int128 value, int scale) {
  bool negative = value < 0;
  UInt128 magnitude = negative ? UInt128(0) - static_cast<UInt128>(value) : static_cast<UInt128>(value);
  std::string digits = UInt128ToString(magnitude);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, 1, '.');
  }
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

void UuidBytes(duckdb_hugeint value, unsigned char bytes[16]) {
  uint64_t upper = static_cast<uint64_t>(value.upper) ^ (uint64_t{1} << 63);
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(upper >> (56 - 8 * i));
    bytes[8 + i] = static_cast<unsigned char>(value.lower >> (56 - 8 * i));
  }
}

// Howard Hinnant's civil_from_days / days_from_civil, exact for the whole int64 range we use.
CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t yoe = year - era * 400;
  int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {
int64_t ScaleToMicros(int64_t raw, int64_t numerator, int64_t denominator) {
  if (raw == kDuckTimestampInfinity) return INT64_MAX;
  if (raw == kDuckTimestampNegInfinity || raw == INT64_MIN) return INT64_MIN;
  if (denominator > 1) return FloorDiv(raw, denominator);
  int64_t result = 0;
  if (__builtin_mul_overflow(raw, numerator, &result)) return raw > 0 ? INT64_MAX : INT64_MIN;
  return result;
}
}  // namespace

int64_t TimestampMicros(Kind kind, duckdb_vector vector, idx_t row) {
  int64_t raw = Get<int64_t>(vector, row);
  switch (kind) {
    case Kind::kTimestampS: return ScaleToMicros(raw, 1000000, 1);
    case Kind::kTimestampMs: return ScaleToMicros(raw, 1000, 1);
    case Kind::kTimestampNs: return ScaleToMicros(raw, 1, 1000);
    default: return ScaleToMicros(raw, 1, 1);
  }
}

}  // namespace internal

using internal::Kind;

PgType PgTypeOf(duckdb_logical_type type) { return internal::DescribeType(type).pg; }

namespace {

struct TypeInfo {
  int32_t oid;
  int32_t array_oid;
  int16_t typlen;
  const char* name;
};

// One row per scalar type we report or accept: its array type, typlen and format_type name.
constexpr TypeInfo kTypes[] = {
    {pgoid::kBool, pgoid::kBoolArray, 1, "boolean"},
    {pgoid::kBytea, pgoid::kByteaArray, -1, "bytea"},
    {pgoid::kChar, pgoid::kCharArray, 1, "\"char\""},
    {pgoid::kName, pgoid::kNameArray, 64, "name"},
    {pgoid::kInt8, pgoid::kInt8Array, 8, "bigint"},
    {pgoid::kInt2, pgoid::kInt2Array, 2, "smallint"},
    {pgoid::kInt4, pgoid::kInt4Array, 4, "integer"},
    {pgoid::kRegproc, 1008, 4, "regproc"},
    {pgoid::kText, pgoid::kTextArray, -1, "text"},
    {pgoid::kOid, pgoid::kOidArray, 4, "oid"},
    {pgoid::kJson, pgoid::kJsonArray, -1, "json"},
    {pgoid::kFloat4, pgoid::kFloat4Array, 4, "real"},
    {pgoid::kFloat8, pgoid::kFloat8Array, 8, "double precision"},
    {pgoid::kUnknown, 0, -2, "unknown"},
    {pgoid::kBpchar, pgoid::kBpcharArray, -1, "character"},
    {pgoid::kVarchar, pgoid::kVarcharArray, -1, "character varying"},
    {pgoid::kDate, pgoid::kDateArray, 4, "date"},
    {pgoid::kTime, pgoid::kTimeArray, 8, "time without time zone"},
    {pgoid::kTimestamp, pgoid::kTimestampArray, 8, "timestamp without time zone"},
    {pgoid::kTimestamptz, pgoid::kTimestamptzArray, 8, "timestamp with time zone"},
    {pgoid::kInterval, pgoid::kIntervalArray, 16, "interval"},
    {pgoid::kTimetz, pgoid::kTimetzArray, 12, "time with time zone"},
    {pgoid::kNumeric, pgoid::kNumericArray, -1, "numeric"},
    {pgoid::kRegclass, 2210, 4, "regclass"},
    {pgoid::kRegtype, 2211, 4, "regtype"},
    {pgoid::kUuid, pgoid::kUuidArray, 16, "uuid"},
    {pgoid::kJsonb, pgoid::kJsonbArray, -1, "jsonb"},
};

const TypeInfo* FindType(int32_t oid) {
  for (const TypeInfo& info : kTypes) {
    if (info.oid == oid) return &info;
  }
  return nullptr;
}

const TypeInfo* FindArrayType(int32_t array_oid) {
  for (const TypeInfo& info : kTypes) {
    if (info.array_oid == array_oid && array_oid != 0) return &info;
  }
  return nullptr;
}

// format_type's rendering of a typmod, for the types that have one.
std::string NameWithTypmod(int32_t oid, int32_t typmod, const char* name) {
  switch (oid) {
    case pgoid::kNumeric:
      if (typmod < 4) return name;
      return "numeric(" + std::to_string(((typmod - 4) >> 16) & 0xffff) + "," + std::to_string((typmod - 4) & 0xffff) +
             ")";
    case pgoid::kVarchar:
      return typmod < 4 ? name : "character varying(" + std::to_string(typmod - 4) + ")";
    case pgoid::kBpchar:
      // bpchar without a length is not "character", which means character(1).
      return typmod < 4 ? "bpchar" : "character(" + std::to_string(typmod - 4) + ")";
    case pgoid::kTime:
    case pgoid::kTimestamp:
    case pgoid::kTimestamptz:
    case pgoid::kTimetz: {
      if (typmod < 0) return name;
      std::string text = name;
      size_t space = text.find(' ');
      return text.substr(0, space) + "(" + std::to_string(typmod) + ")" + text.substr(space);
    }
    default:
      return name;
  }
}

}  // namespace

std::string PgTypeName(const PgType& type) {
  if (const TypeInfo* info = FindType(type.oid)) return NameWithTypmod(type.oid, type.typmod, info->name);
  if (const TypeInfo* element = FindArrayType(type.oid))
    return NameWithTypmod(element->oid, type.typmod, element->name) + "[]";
  return "???";
}

int32_t ArrayOidOf(int32_t element_oid) {
  const TypeInfo* info = FindType(element_oid);
  return info == nullptr ? 0 : info->array_oid;
}

int32_t ElementOidOf(int32_t array_oid) {
  const TypeInfo* info = FindArrayType(array_oid);
  return info == nullptr ? 0 : info->oid;
}

int16_t TypeLength(int32_t oid) {
  const TypeInfo* info = FindType(oid);
  return info == nullptr ? -1 : info->typlen;
}

ColumnEncoder::ColumnEncoder(duckdb_logical_type type, bool binary, const TextSettings& settings)
    : type_(std::make_unique<const internal::ValueType>(internal::DescribeType(type))),
      context_(std::make_unique<const internal::FormatContext>(settings)) {
  pg_type_ = type_->pg;
  binary_ = binary && SupportsBinary(pg_type_);
}

ColumnEncoder::~ColumnEncoder() = default;
ColumnEncoder::ColumnEncoder(ColumnEncoder&&) noexcept = default;
ColumnEncoder& ColumnEncoder::operator=(ColumnEncoder&&) noexcept = default;

void ColumnEncoder::Append(duckdb_vector vector, idx_t row, std::string* out) const {
  if (!internal::IsValid(vector, row) || type_->kind == Kind::kUnsupported || type_->kind == Kind::kNull) {
    internal::PutInt32(out, -1);
    return;
  }
  size_t length_at = out->size();
  out->append(4, '\0');
  if (binary_) {
    internal::AppendBinary(*type_, *context_, vector, row, out);
  } else {
    internal::AppendText(*type_, *context_, vector, row, out);
  }
  auto length = static_cast<uint32_t>(out->size() - length_at - 4);
  for (int i = 0; i < 4; ++i) (*out)[length_at + i] = static_cast<char>(length >> (24 - 8 * i));
}

std::optional<std::string> ColumnEncoder::Encode(duckdb_vector vector, idx_t row) const {
  std::string field;
  Append(vector, row, &field);
  if (field.size() == 4 && field == std::string(4, '\xff')) return std::nullopt;
  return field.substr(4);
}

bool ColumnEncoder::SupportsBinary(const PgType& type) {
  switch (type.oid) {
    case pgoid::kBool:
    case pgoid::kBytea:
    case pgoid::kInt2:
    case pgoid::kInt4:
    case pgoid::kInt8:
    case pgoid::kText:
    case pgoid::kVarchar:
    case pgoid::kBpchar:
    case pgoid::kName:
    case pgoid::kJson:
    case pgoid::kFloat4:
    case pgoid::kFloat8:
    case pgoid::kNumeric:
    case pgoid::kDate:
    case pgoid::kTime:
    case pgoid::kTimetz:
    case pgoid::kTimestamp:
    case pgoid::kTimestamptz:
    case pgoid::kInterval:
    case pgoid::kUuid:
      return true;
    default: {
      int32_t element = ElementOidOf(type.oid);
      return element != 0 && SupportsBinary(PgType{element, TypeLength(element), -1});
    }
  }
}

int32_t ParameterTypeOid(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_VARCHAR: return pgoid::kText;
    case DUCKDB_TYPE_DECIMAL: return pgoid::kNumeric;
    case DUCKDB_TYPE_LIST:
    case DUCKDB_TYPE_ARRAY:
    case DUCKDB_TYPE_ENUM:
    case DUCKDB_TYPE_INVALID:
    case DUCKDB_TYPE_ANY:
      return pgoid::kText;
    default: {
      internal::ValueType described;
      return internal::DescribeSimple(type, &described) ? described.pg.oid : pgoid::kText;
    }
  }
}

}  // namespace cdmlake::server
