#include "engine/value_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace cdmlake::engine {

namespace {

// 128-bit integers for HUGEINT/DECIMAL(38) values; __extension__ keeps -Wpedantic quiet about the GCC type.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// Owns a logical type obtained from a child/member lookup.
struct TypeHandle {
  duckdb_logical_type type;
  explicit TypeHandle(duckdb_logical_type t) : type(t) {}
  ~TypeHandle() { duckdb_destroy_logical_type(&type); }
  TypeHandle(const TypeHandle&) = delete;
  TypeHandle& operator=(const TypeHandle&) = delete;
};

bool IsValid(duckdb_vector vector, idx_t row) {
  uint64_t* validity = duckdb_vector_get_validity(vector);
  return validity == nullptr || duckdb_validity_row_is_valid(validity, row);
}

template <typename T>
T At(duckdb_vector vector, idx_t row) {
  return static_cast<const T*>(duckdb_vector_get_data(vector))[row];
}

std::string Uint128ToString(UInt128 v) {
  if (v == 0) return "0";
  char buf[48];
  int pos = sizeof buf;
  while (v > 0) {
    buf[--pos] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  return std::string(buf + pos, sizeof buf - pos);
}

std::string Int128ToString(Int128 v) {
  if (v < 0) return "-" + Uint128ToString(static_cast<UInt128>(-(v + 1)) + 1);
  return Uint128ToString(static_cast<UInt128>(v));
}

Int128 HugeintValue(duckdb_hugeint h) {
  return static_cast<Int128>(static_cast<UInt128>(static_cast<uint64_t>(h.upper)) << 64 | h.lower);
}

std::string DecimalToString(Int128 value, uint8_t scale) {
  bool negative = value < 0;
  std::string digits = negative ? Int128ToString(value).substr(1) : Int128ToString(value);
  if (scale > 0) {
    if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
    digits.insert(digits.size() - scale, ".");
  }
  return negative ? "-" + digits : digits;
}

// Shortest text that reads back to the same value, with DuckDB's spelling of the special values.
template <typename T>
std::string FloatingToString(T v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string Pad(int64_t v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  return buf;
}

std::string DateToString(duckdb_date date) {
  if (!duckdb_is_finite_date(date)) return date.days > 0 ? "infinity" : "-infinity";
  duckdb_date_struct d = duckdb_from_date(date);
  std::string year = d.year > 0 ? Pad(d.year, 4) : Pad(1 - d.year, 4);
  std::string out = year + "-" + Pad(d.month, 2) + "-" + Pad(d.day, 2);
  return d.year > 0 ? out : out + " (BC)";
}

std::string TimeOfDay(int64_t micros) {
  std::string out = Pad(micros / 3600000000LL, 2) + ":" + Pad(micros / 60000000LL % 60, 2) + ":" +
                    Pad(micros / 1000000LL % 60, 2);
  int64_t frac = micros % 1000000LL;
  if (frac != 0) {
    std::string f = Pad(frac, 6);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

std::string TimestampMicrosToString(int64_t micros) {
  duckdb_timestamp ts{micros};
  if (!duckdb_is_finite_timestamp(ts)) return micros > 0 ? "infinity" : "-infinity";
  int64_t days = micros / 86400000000LL;
  int64_t rest = micros % 86400000000LL;
  if (rest < 0) {
    rest += 86400000000LL;
    days -= 1;
  }
  return DateToString(duckdb_date{static_cast<int32_t>(days)}) + " " + TimeOfDay(rest);
}

std::string IntervalToString(duckdb_interval iv) {
  std::string out;
  auto part = [&out](int64_t n, const char* unit) {
    if (n == 0) return;
    if (!out.empty()) out += " ";
    out += std::to_string(n) + " " + unit + (n == 1 || n == -1 ? "" : "s");
  };
  part(iv.months / 12, "year");
  part(iv.months % 12, "month");
  part(iv.days, "day");
  if (iv.micros != 0 || out.empty()) {
    if (!out.empty()) out += " ";
    int64_t m = iv.micros;
    if (m < 0) {
      out += "-";
      m = -m;
    }
    out += TimeOfDay(m);
  }
  return out;
}

std::string UuidToString(duckdb_hugeint h) {
  // DuckDB stores UUIDs with the top bit flipped so that they sort as signed integers.
  uint64_t upper = static_cast<uint64_t>(h.upper) ^ (uint64_t{1} << 63);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(upper >> 32), static_cast<unsigned long long>((upper >> 16) & 0xFFFF),
                static_cast<unsigned long long>(upper & 0xFFFF), static_cast<unsigned long long>(h.lower >> 48),
                static_cast<unsigned long long>(h.lower & 0xFFFFFFFFFFFFULL));
  return buf;
}

std::string BlobToString(const char* data, uint32_t size) {
  std::string out;
  for (uint32_t i = 0; i < size; ++i) {
    unsigned char c = static_cast<unsigned char>(data[i]);
    if (c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string StringAt(duckdb_vector vector, idx_t row) {
  duckdb_string_t s = At<duckdb_string_t>(vector, row);
  return std::string(duckdb_string_t_data(&s), duckdb_string_t_length(s));
}

// Nested values quote their strings as DuckDB does: 'text' inside lists and structs.
std::string NestedText(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
  std::optional<std::string> text = FormatCell(vector, type, row);
  if (!text) return "NULL";
  duckdb_type id = duckdb_get_type_id(type);
  if (id == DUCKDB_TYPE_VARCHAR || id == DUCKDB_TYPE_UUID || id == DUCKDB_TYPE_DATE || id == DUCKDB_TYPE_TIMESTAMP ||
      id == DUCKDB_TYPE_TIMESTAMP_TZ || id == DUCKDB_TYPE_TIME || id == DUCKDB_TYPE_ENUM || id == DUCKDB_TYPE_BLOB) {
    return "'" + *text + "'";
  }
  return *text;
}

std::string ListToString(duckdb_vector child, duckdb_logical_type child_type, idx_t offset, idx_t length) {
  std::string out = "[";
  for (idx_t i = 0; i < length; ++i) {
    if (i > 0) out += ", ";
    out += NestedText(child, child_type, offset + i);
  }
  return out + "]";
}

}  // namespace

std::optional<std::string> FormatCell(duckdb_vector vector, duckdb_logical_type type, idx_t row) {
  if (!IsValid(vector, row)) return std::nullopt;
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN: return At<bool>(vector, row) ? "true" : "false";
    case DUCKDB_TYPE_TINYINT: return std::to_string(At<int8_t>(vector, row));
    case DUCKDB_TYPE_SMALLINT: return std::to_string(At<int16_t>(vector, row));
    case DUCKDB_TYPE_INTEGER: return std::to_string(At<int32_t>(vector, row));
    case DUCKDB_TYPE_BIGINT: return std::to_string(At<int64_t>(vector, row));
    case DUCKDB_TYPE_UTINYINT: return std::to_string(At<uint8_t>(vector, row));
    case DUCKDB_TYPE_USMALLINT: return std::to_string(At<uint16_t>(vector, row));
    case DUCKDB_TYPE_UINTEGER: return std::to_string(At<uint32_t>(vector, row));
    case DUCKDB_TYPE_UBIGINT: return std::to_string(At<uint64_t>(vector, row));
    case DUCKDB_TYPE_HUGEINT: return Int128ToString(HugeintValue(At<duckdb_hugeint>(vector, row)));
    case DUCKDB_TYPE_UHUGEINT: {
      duckdb_uhugeint u = At<duckdb_uhugeint>(vector, row);
      return Uint128ToString(static_cast<UInt128>(u.upper) << 64 | u.lower);
    }
    case DUCKDB_TYPE_FLOAT: return FloatingToString(At<float>(vector, row));
    case DUCKDB_TYPE_DOUBLE: return FloatingToString(At<double>(vector, row));
    case DUCKDB_TYPE_DECIMAL: {
      uint8_t scale = duckdb_decimal_scale(type);
      switch (duckdb_decimal_internal_type(type)) {
        case DUCKDB_TYPE_SMALLINT: return DecimalToString(At<int16_t>(vector, row), scale);
        case DUCKDB_TYPE_INTEGER: return DecimalToString(At<int32_t>(vector, row), scale);
        case DUCKDB_TYPE_BIGINT: return DecimalToString(At<int64_t>(vector, row), scale);
        default: return DecimalToString(HugeintValue(At<duckdb_hugeint>(vector, row)), scale);
      }
    }
    case DUCKDB_TYPE_VARCHAR: return StringAt(vector, row);
    case DUCKDB_TYPE_BLOB: {
      duckdb_string_t s = At<duckdb_string_t>(vector, row);
      return BlobToString(duckdb_string_t_data(&s), duckdb_string_t_length(s));
    }
    case DUCKDB_TYPE_DATE: return DateToString(At<duckdb_date>(vector, row));
    case DUCKDB_TYPE_TIME: return TimeOfDay(At<duckdb_time>(vector, row).micros);
    case DUCKDB_TYPE_TIMESTAMP: return TimestampMicrosToString(At<duckdb_timestamp>(vector, row).micros);
    case DUCKDB_TYPE_TIMESTAMP_TZ: return TimestampMicrosToString(At<duckdb_timestamp>(vector, row).micros) + "+00";
    case DUCKDB_TYPE_TIMESTAMP_S: return TimestampMicrosToString(At<int64_t>(vector, row) * 1000000);
    case DUCKDB_TYPE_TIMESTAMP_MS: return TimestampMicrosToString(At<int64_t>(vector, row) * 1000);
    case DUCKDB_TYPE_TIMESTAMP_NS: {
      int64_t ns = At<int64_t>(vector, row);
      std::string base = TimestampMicrosToString(ns / 1000);
      return base;
    }
    case DUCKDB_TYPE_INTERVAL: return IntervalToString(At<duckdb_interval>(vector, row));
    case DUCKDB_TYPE_UUID: return UuidToString(At<duckdb_hugeint>(vector, row));
    case DUCKDB_TYPE_ENUM: {
      uint64_t index = 0;
      switch (duckdb_enum_internal_type(type)) {
        case DUCKDB_TYPE_UTINYINT: index = At<uint8_t>(vector, row); break;
        case DUCKDB_TYPE_USMALLINT: index = At<uint16_t>(vector, row); break;
        default: index = At<uint32_t>(vector, row); break;
      }
      char* value = duckdb_enum_dictionary_value(type, index);
      std::string out = value ? value : "";
      duckdb_free(value);
      return out;
    }
    case DUCKDB_TYPE_LIST: {
      duckdb_list_entry entry = At<duckdb_list_entry>(vector, row);
      TypeHandle child(duckdb_list_type_child_type(type));
      return ListToString(duckdb_list_vector_get_child(vector), child.type, entry.offset, entry.length);
    }
    case DUCKDB_TYPE_ARRAY: {
      idx_t size = duckdb_array_type_array_size(type);
      TypeHandle child(duckdb_array_type_child_type(type));
      return ListToString(duckdb_array_vector_get_child(vector), child.type, row * size, size);
    }
    case DUCKDB_TYPE_MAP: {
      duckdb_list_entry entry = At<duckdb_list_entry>(vector, row);
      duckdb_vector entries = duckdb_list_vector_get_child(vector);
      TypeHandle key_type(duckdb_map_type_key_type(type));
      TypeHandle value_type(duckdb_map_type_value_type(type));
      duckdb_vector keys = duckdb_struct_vector_get_child(entries, 0);
      duckdb_vector values = duckdb_struct_vector_get_child(entries, 1);
      std::string out = "{";
      for (idx_t i = 0; i < entry.length; ++i) {
        if (i > 0) out += ", ";
        out += NestedText(keys, key_type.type, entry.offset + i) + "=" +
               NestedText(values, value_type.type, entry.offset + i);
      }
      return out + "}";
    }
    case DUCKDB_TYPE_STRUCT: {
      idx_t n = duckdb_struct_type_child_count(type);
      std::string out = "{";
      for (idx_t i = 0; i < n; ++i) {
        if (i > 0) out += ", ";
        char* name = duckdb_struct_type_child_name(type, i);
        TypeHandle child(duckdb_struct_type_child_type(type, i));
        out += "'" + std::string(name) + "': " + NestedText(duckdb_struct_vector_get_child(vector, i), child.type, row);
        duckdb_free(name);
      }
      return out + "}";
    }
    default: return "<" + TypeName(type) + ">";
  }
}

JsonKind JsonKindOf(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_BOOLEAN: return JsonKind::kBoolean;
    case DUCKDB_TYPE_TINYINT: case DUCKDB_TYPE_SMALLINT: case DUCKDB_TYPE_INTEGER: case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT: case DUCKDB_TYPE_USMALLINT: case DUCKDB_TYPE_UINTEGER: case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT: case DUCKDB_TYPE_UHUGEINT: case DUCKDB_TYPE_FLOAT: case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_DECIMAL:
      return JsonKind::kNumber;
    default: return JsonKind::kString;
  }
}

std::string TypeName(duckdb_logical_type type) {
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN: return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT: return "TINYINT";
    case DUCKDB_TYPE_SMALLINT: return "SMALLINT";
    case DUCKDB_TYPE_INTEGER: return "INTEGER";
    case DUCKDB_TYPE_BIGINT: return "BIGINT";
    case DUCKDB_TYPE_UTINYINT: return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT: return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER: return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT: return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT: return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT: return "UHUGEINT";
    case DUCKDB_TYPE_FLOAT: return "FLOAT";
    case DUCKDB_TYPE_DOUBLE: return "DOUBLE";
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL(" + std::to_string(duckdb_decimal_width(type)) + "," + std::to_string(duckdb_decimal_scale(type)) + ")";
    case DUCKDB_TYPE_VARCHAR: {
      char* alias = duckdb_logical_type_get_alias(type);
      std::string name = alias ? alias : "VARCHAR";
      duckdb_free(alias);
      return name;
    }
    case DUCKDB_TYPE_BLOB: return "BLOB";
    case DUCKDB_TYPE_DATE: return "DATE";
    case DUCKDB_TYPE_TIME: return "TIME";
    case DUCKDB_TYPE_TIMESTAMP: return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_TZ: return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP_S: return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS: return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS: return "TIMESTAMP_NS";
    case DUCKDB_TYPE_INTERVAL: return "INTERVAL";
    case DUCKDB_TYPE_UUID: return "UUID";
    case DUCKDB_TYPE_ENUM: return "ENUM";
    case DUCKDB_TYPE_LIST: {
      TypeHandle child(duckdb_list_type_child_type(type));
      return TypeName(child.type) + "[]";
    }
    case DUCKDB_TYPE_ARRAY: {
      TypeHandle child(duckdb_array_type_child_type(type));
      return TypeName(child.type) + "[" + std::to_string(duckdb_array_type_array_size(type)) + "]";
    }
    case DUCKDB_TYPE_STRUCT: return "STRUCT";
    case DUCKDB_TYPE_MAP: return "MAP";
    case DUCKDB_TYPE_UNION: return "UNION";
    case DUCKDB_TYPE_BIT: return "BIT";
    case DUCKDB_TYPE_TIME_TZ: return "TIME WITH TIME ZONE";
    default: return "UNKNOWN";
  }
}

}  // namespace cdmlake::engine
