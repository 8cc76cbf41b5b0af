// PostgreSQL's binary (send) format: big-endian fixed widths, numeric in base-10000 digits, times counted from
// 2000-01-01, one-dimensional arrays with their element OID.
#include <cstring>

#include "server/pg_format_internal.h"

namespace cdmlake::server::internal {
namespace {

template <typename Float, typename Bits>
void PutFloat(std::string* out, Float value) {
  Bits bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if constexpr (sizeof(Bits) == 4) {
    PutInt32(out, static_cast<int32_t>(bits));
  } else {
    PutInt64(out, static_cast<int64_t>(bits));
  }
}

// numeric_send's layout: ndigits, weight, sign, dscale, then the base-10000 digits, with leading and trailing zero
// digits stripped as PostgreSQL stores every numeric. `groups` holds `integer_groups` digits before the point.
void PutNumericGroups(std::string* out, bool negative, const int16_t* groups, size_t count, int integer_groups,
                      int scale) {
  int weight = integer_groups - 1;
  size_t first = 0;
  while (first < count && groups[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = count;
  while (last > first && groups[last - 1] == 0) --last;
  if (first == last) {
    weight = 0;
    negative = false;
  }
  PutInt16(out, static_cast<int16_t>(last - first));
  PutInt16(out, static_cast<int16_t>(weight));
  PutInt16(out, static_cast<int16_t>(negative ? 0x4000 : 0));
  PutInt16(out, static_cast<int16_t>(scale));
  for (size_t i = first; i < last; ++i) PutInt16(out, groups[i]);
}

// `digits` is the magnitude times 10^scale in decimal.
void PutNumericDigits(std::string* out, bool negative, std::string digits, int scale) {
  if (digits.size() < static_cast<size_t>(scale)) digits.insert(0, scale - digits.size(), '0');
  std::string integer = digits.substr(0, digits.size() - scale);
  std::string fraction = digits.substr(digits.size() - scale);
  integer.insert(0, (4 - integer.size() % 4) % 4, '0');
  fraction.append((4 - fraction.size() % 4) % 4, '0');
  std::string all = integer + fraction;
  std::vector<int16_t> groups;
  for (size_t i = 0; i < all.size(); i += 4) {
    groups.push_back(static_cast<int16_t>((all[i] - '0') * 1000 + (all[i + 1] - '0') * 100 +
                                          (all[i + 2] - '0') * 10 + (all[i + 3] - '0')));
  }
  PutNumericGroups(out, negative, groups.data(), groups.size(), static_cast<int>(integer.size() / 4), scale);
}

UInt128 PowerOfTen(int exponent) {
  UInt128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

// The common case without text: the integer part and the fraction (scaled to whole base-10000 digits) are split
// into digits by division. Scales whose aligned fraction could pass 10^38 take the text path.
void PutNumeric(std::string* out, Int128 value, int scale) {
  bool negative = value < 0;
  UInt128 magnitude = negative ? UInt128(0) - static_cast<UInt128>(value) : static_cast<UInt128>(value);
  int fraction_groups = (scale + 3) / 4;
  if (fraction_groups * 4 > 36) {
    PutNumericDigits(out, negative, UInt128ToString(magnitude), scale);
    return;
  }
  UInt128 unit = PowerOfTen(scale);
  UInt128 integer = magnitude / unit;
  UInt128 fraction = magnitude % unit * PowerOfTen(fraction_groups * 4 - scale);
  int16_t integer_digits[12];
  int integer_groups = 0;
  for (; integer != 0; integer /= 10000) integer_digits[integer_groups++] = static_cast<int16_t>(integer % 10000);
  int16_t groups[24];
  for (int i = 0; i < integer_groups; ++i) groups[i] = integer_digits[integer_groups - 1 - i];
  for (int i = fraction_groups - 1; i >= 0; --i, fraction /= 10000)
    groups[integer_groups + i] = static_cast<int16_t>(fraction % 10000);
  PutNumericGroups(out, negative, groups, static_cast<size_t>(integer_groups + fraction_groups), integer_groups,
                   scale);
}

// BIGNUM has no fixed width: go through its decimal text.
void PutBignum(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
               std::string* out) {
  std::string text;
  AppendText(type, context, vector, row, &text);
  bool negative = !text.empty() && text[0] == '-';
  PutNumericDigits(out, negative, negative ? text.substr(1) : text, 0);
}

// Infinite dates and timestamps are PostgreSQL's DATEVAL_NOEND/NOBEGIN and DT_NOEND/NOBEGIN.
void PutDate(std::string* out, int32_t days) {
  if (days == kDuckDateInfinity) {
    PutInt32(out, INT32_MAX);
  } else if (days == kDuckDateNegInfinity) {
    PutInt32(out, INT32_MIN);
  } else {
    PutInt32(out, days - kPgEpochDays);
  }
}

void PutTimestamp(std::string* out, int64_t micros) {
  if (micros == INT64_MAX || micros == INT64_MIN) {
    PutInt64(out, micros);
  } else {
    PutInt64(out, micros - kPgEpochMicros);
  }
}

void PutTimeTz(std::string* out, duckdb_vector vector, idx_t row) {
  duckdb_time_tz_struct value = duckdb_from_time_tz(Get<duckdb_time_tz>(vector, row));
  int64_t micros = ((value.time.hour * 60LL + value.time.min) * 60 + value.time.sec) * 1000000 + value.time.micros;
  PutInt64(out, micros);
  PutInt32(out, -value.offset);  // PostgreSQL counts zones in seconds west of UTC
}

void PutArray(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
              std::string* out) {
  const ValueType& element = type.children.front();
  duckdb_vector child;
  idx_t offset;
  idx_t length;
  if (type.kind == Kind::kArray) {
    child = duckdb_array_vector_get_child(vector);
    offset = row * type.array_size;
    length = type.array_size;
  } else {
    auto entry = Get<duckdb_list_entry>(vector, row);
    child = duckdb_list_vector_get_child(vector);
    offset = entry.offset;
    length = entry.length;
  }
  bool has_null = false;
  for (idx_t i = 0; i < length; ++i) has_null = has_null || !IsValid(child, offset + i);
  PutInt32(out, length == 0 ? 0 : 1);
  PutInt32(out, has_null ? 1 : 0);
  PutInt32(out, element.pg.oid);
  if (length > 0) {
    PutInt32(out, static_cast<int32_t>(length));
    PutInt32(out, 1);
  }
  for (idx_t i = 0; i < length; ++i) {
    if (!IsValid(child, offset + i)) {
      PutInt32(out, -1);
      continue;
    }
    size_t length_at = out->size();
    out->append(4, '\0');
    AppendBinary(element, context, child, offset + i, out);
    auto size = static_cast<uint32_t>(out->size() - length_at - 4);
    for (int b = 0; b < 4; ++b) (*out)[length_at + b] = static_cast<char>(size >> (24 - 8 * b));
  }
}

}  // namespace

void AppendBinary(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                  std::string* out) {
  switch (type.kind) {
    case Kind::kBool: out->push_back(Get<bool>(vector, row) ? '\1' : '\0'); return;
    case Kind::kInt8: PutInt16(out, Get<int8_t>(vector, row)); return;
    case Kind::kUInt8: PutInt16(out, Get<uint8_t>(vector, row)); return;
    case Kind::kInt16: PutInt16(out, Get<int16_t>(vector, row)); return;
    case Kind::kUInt16: PutInt32(out, Get<uint16_t>(vector, row)); return;
    case Kind::kInt32: PutInt32(out, Get<int32_t>(vector, row)); return;
    case Kind::kUInt32: PutInt64(out, Get<uint32_t>(vector, row)); return;
    case Kind::kInt64: PutInt64(out, Get<int64_t>(vector, row)); return;
    case Kind::kUInt64: PutNumeric(out, Get<uint64_t>(vector, row), 0); return;
    case Kind::kHugeint: PutNumeric(out, ToInt128(Get<duckdb_hugeint>(vector, row)), 0); return;
    case Kind::kUHugeint: PutNumericDigits(out, false, UInt128ToString(ToUInt128(Get<duckdb_uhugeint>(vector, row))), 0); return;
    case Kind::kBignum: PutBignum(type, context, vector, row, out); return;
    case Kind::kDecimal: PutNumeric(out, GetInteger(type.storage, vector, row), type.scale); return;
    case Kind::kFloat: PutFloat<float, uint32_t>(out, Get<float>(vector, row)); return;
    case Kind::kDouble: PutFloat<double, uint64_t>(out, Get<double>(vector, row)); return;
    case Kind::kVarchar: case Kind::kBlob: out->append(GetString(vector, row)); return;
    case Kind::kDate: PutDate(out, Get<int32_t>(vector, row)); return;
    case Kind::kTime: PutInt64(out, Get<int64_t>(vector, row)); return;
    case Kind::kTimeNs: PutInt64(out, Get<int64_t>(vector, row) / 1000); return;
    case Kind::kTimeTz: PutTimeTz(out, vector, row); return;
    case Kind::kTimestamp: case Kind::kTimestampS: case Kind::kTimestampMs: case Kind::kTimestampNs:
    case Kind::kTimestampTz:
      PutTimestamp(out, TimestampMicros(type.kind, vector, row));
      return;
    case Kind::kInterval: {
      auto value = Get<duckdb_interval>(vector, row);
      PutInt64(out, value.micros);
      PutInt32(out, value.days);
      PutInt32(out, value.months);
      return;
    }
    case Kind::kUuid: {
      unsigned char bytes[16];
      UuidBytes(Get<duckdb_hugeint>(vector, row), bytes);
      out->append(reinterpret_cast<const char*>(bytes), 16);
      return;
    }
    case Kind::kList: case Kind::kArray:
      if (type.pg.oid != pgoid::kText) {
        PutArray(type, context, vector, row, out);
        return;
      }
      [[fallthrough]];  // nested lists are text
    default:
      // Types reported as text or json: their binary form is the text.
      AppendText(type, context, vector, row, out);
      return;
  }
}

}  // namespace cdmlake::server::internal
