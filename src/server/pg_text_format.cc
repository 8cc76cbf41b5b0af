// PostgreSQL's text output format: the typoutput functions of PostgreSQL 15 with DateStyle ISO, IntervalStyle
// postgres and the session's extra_float_digits and TimeZone.
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "server/pg_format_internal.h"

namespace cdmlake::server::internal {
namespace {

// A non-negative number with at least `width` digits, zero-padded.
void AppendPadded(std::string* out, int64_t value, int width) {
  char buffer[24];
  char* end = buffer + sizeof(buffer);
  char* p = end;
  auto magnitude = static_cast<uint64_t>(value);
  do {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  while (end - p < width) *--p = '0';
  out->append(p, end);
}

template <typename Integer>
void AppendInteger(std::string* out, Integer value) {
  char buffer[24];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, result.ptr);
}

// ".ffffff" with trailing zeros dropped; nothing for whole seconds (AppendSeconds in PostgreSQL).
void AppendFraction(std::string* out, int64_t micros) {
  if (micros == 0) return;
  char digits[8];
  std::snprintf(digits, sizeof(digits), "%06lld", static_cast<long long>(micros));
  int length = 6;
  while (digits[length - 1] == '0') --length;
  out->push_back('.');
  out->append(digits, length);
}

void AppendDate(std::string* out, int32_t days) {
  if (days == kDuckDateInfinity) {
    out->append("infinity");
  } else if (days == kDuckDateNegInfinity) {
    out->append("-infinity");
  } else if (AppendCivilDate(out, days)) {
    out->append(" BC");
  }
}

void AppendTimeTz(std::string* out, duckdb_vector vector, idx_t row) {
  duckdb_time_tz_struct value = duckdb_from_time_tz(Get<duckdb_time_tz>(vector, row));
  int64_t micros = ((value.time.hour * 60LL + value.time.min) * 60 + value.time.sec) * 1000000 + value.time.micros;
  AppendTimeOfDay(out, micros);
  AppendOffset(out, value.offset, false);
}

// AddPostgresIntPart: each nonzero field gets its own sign; a positive field after a negative one gets '+'.
void AppendIntervalPart(std::string* out, int64_t value, const char* unit, bool* is_zero, bool* is_before) {
  if (value == 0) return;
  if (!*is_zero) out->push_back(' ');
  if (*is_before && value > 0) out->push_back('+');
  out->append(std::to_string(value));
  out->push_back(' ');
  out->append(unit);
  if (value != 1) out->push_back('s');
  *is_before = value < 0;
  *is_zero = false;
}

// Whether digits × 10^k equals odd × 2^q exactly (both sides split into a power of two and an odd part).
bool DecimalEquals(uint64_t digits, int k, uint64_t odd, int q) {
  if (k < 0 || q < 0 || digits == 0) return false;
  int twos = 0;
  while (digits % 2 == 0) {
    digits /= 2;
    ++twos;
  }
  if (twos + k != q || k > 27) return false;  // 5^28 exceeds any odd part of 55 bits
  UInt128 product = digits;
  for (int i = 0; i < k; ++i) product *= 5;
  return product == odd;
}

// Whether the decimal `text` ("d.ddde±XX") lies exactly halfway between `value` and a neighbour. PostgreSQL's Ryu
// excludes those bounds (acceptBounds = false), where std::to_chars accepts them when the mantissa is even.
// Midpoints are short decimals only when they are integers, so only |value| >= 2^53 (2^24 for float4) is checked.
bool OnRoundingBound(const char* text, double value, bool is_float4) {
  int mantissa_bits = is_float4 ? 24 : 53;
  double magnitude = std::fabs(value);
  if (magnitude < std::ldexp(1.0, mantissa_bits)) return false;
  int binary_exponent = 0;
  double fraction = std::frexp(magnitude, &binary_exponent);
  auto mantissa = static_cast<uint64_t>(std::ldexp(fraction, mantissa_bits));
  int e2 = binary_exponent - mantissa_bits;
  uint64_t digits = 0;
  int count = 0;
  const char* p = text[0] == '-' ? text + 1 : text;
  for (; *p != 'e' && *p != '\0'; ++p) {
    if (*p == '.') continue;
    digits = digits * 10 + static_cast<uint64_t>(*p - '0');
    ++count;
  }
  int k = (*p == 'e' ? std::atoi(p + 1) : 0) - (count - 1);
  bool lower = mantissa == (uint64_t{1} << (mantissa_bits - 1))
                   ? DecimalEquals(digits, k, 4 * mantissa - 1, e2 - 2)  // a power of two: the gap below is half
                   : DecimalEquals(digits, k, 2 * mantissa - 1, e2 - 1);
  return lower || DecimalEquals(digits, k, 2 * mantissa + 1, e2 - 1);
}

bool RoundTrips(const char* text, double value, bool is_float4) {
  return is_float4 ? std::strtof(text, nullptr) == static_cast<float>(value) : std::strtod(text, nullptr) == value;
}

// The shortest decimal strictly inside the rounding interval of `value`, as "d.ddde±XX" in `buffer` (64 bytes,
// NUL-terminated).
void ShortestScientific(double value, bool is_float4, char* buffer) {
  std::to_chars_result result =
      is_float4 ? std::to_chars(buffer, buffer + 63, static_cast<float>(value), std::chars_format::scientific)
                : std::to_chars(buffer, buffer + 63, value, std::chars_format::scientific);
  *result.ptr = '\0';
  if (!OnRoundingBound(buffer, value, is_float4)) return;
  int digits = static_cast<int>(std::strchr(buffer, 'e') - buffer) - (buffer[0] == '-' ? 1 : 0) -
               (std::strchr(buffer, '.') != nullptr ? 1 : 0);
  for (int precision = digits + 1; precision <= (is_float4 ? 9 : 17); ++precision) {
    std::snprintf(buffer, 64, "%.*e", precision - 1, value);
    if (RoundTrips(buffer, value, is_float4) && !OnRoundingBound(buffer, value, is_float4)) break;
  }
}

// PostgreSQL's layout of shortest digits: fixed when the decimal exponent is in [-4, 15) for float8 or [-4, 6)
// for float4, else d.ddde±XX with at least two exponent digits.
void AppendShortest(std::string* out, double value, bool is_float4) {
  char buffer[64];
  ShortestScientific(value, is_float4, buffer);
  std::string_view scientific(buffer);
  size_t e = scientific.find('e');
  int exponent = std::atoi(buffer + e + 1);
  if (exponent < -4 || exponent >= (is_float4 ? 6 : 15)) {
    out->append(scientific);
    return;
  }
  bool negative = buffer[0] == '-';
  char digit_buffer[32];
  size_t count = 0;
  for (size_t i = negative ? 1 : 0; i < e && count < sizeof(digit_buffer); ++i) {
    if (buffer[i] != '.') digit_buffer[count++] = buffer[i];
  }
  std::string_view digits(digit_buffer, count);
  if (negative) out->push_back('-');
  if (exponent < 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-exponent - 1), '0');
    out->append(digits);
  } else if (digits.size() <= static_cast<size_t>(exponent) + 1) {
    out->append(digits);
    out->append(exponent + 1 - digits.size(), '0');
  } else {
    out->append(digits.substr(0, exponent + 1));
    out->push_back('.');
    out->append(digits.substr(exponent + 1));
  }
}

void AppendDouble(std::string* out, double value, bool is_float4, int extra_float_digits) {
  if (std::isnan(value)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(value)) {
    out->append(value > 0 ? "Infinity" : "-Infinity");
    return;
  }
  if (extra_float_digits > 0) {
    AppendShortest(out, value, is_float4);
    return;
  }
  char buffer[64];
  int digits = std::max(1, (is_float4 ? FLT_DIG : DBL_DIG) + extra_float_digits);
  int length = std::snprintf(buffer, sizeof(buffer), "%.*g", digits, value);
  out->append(buffer, length);
}

void AppendHexBytes(std::string* out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  for (unsigned char c : bytes) {
    out->push_back(kHex[c >> 4]);
    out->push_back(kHex[c & 15]);
  }
}

void AppendUuid(std::string* out, duckdb_hugeint value) {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char bytes[16];
  UuidBytes(value, bytes);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    out->push_back(kHex[bytes[i] >> 4]);
    out->push_back(kHex[bytes[i] & 15]);
  }
}

// DuckDB's BIT: a padding byte (how many leading bits of the first data byte are unused), then the bits.
void AppendBits(std::string* out, std::string_view data) {
  if (data.empty()) return;
  auto padding = static_cast<unsigned char>(data[0]);
  size_t total = (data.size() - 1) * 8;
  for (size_t bit = padding; bit < total; ++bit) {
    auto byte = static_cast<unsigned char>(data[1 + bit / 8]);
    out->push_back(((byte >> (7 - bit % 8)) & 1) != 0 ? '1' : '0');
  }
}

// DuckDB's BIGNUM: a 3-byte header (top bit set for non-negative values), then the magnitude big-endian;
// every byte, header included, is inverted for negative values.
void AppendBignum(std::string* out, std::string_view data) {
  if (data.size() < 3) return;
  bool negative = (static_cast<unsigned char>(data[0]) & 0x80) == 0;
  std::vector<uint8_t> magnitude;  // base-256 digits, most significant first
  for (size_t i = 3; i < data.size(); ++i) {
    auto byte = static_cast<uint8_t>(data[i]);
    magnitude.push_back(negative ? static_cast<uint8_t>(~byte) : byte);
  }
  std::string digits;
  // Long division by 10^9: each quotient digit stays below 256 because the remainder is below 10^9.
  while (!magnitude.empty()) {
    uint64_t remainder = 0;
    std::vector<uint8_t> quotient;
    for (uint8_t byte : magnitude) {
      uint64_t current = remainder * 256 + byte;
      auto q = static_cast<uint8_t>(current / 1000000000);
      remainder = current % 1000000000;
      if (!quotient.empty() || q != 0) quotient.push_back(q);
    }
    magnitude.swap(quotient);
    char chunk[16];
    std::snprintf(chunk, sizeof(chunk), magnitude.empty() ? "%llu" : "%09llu",
                  static_cast<unsigned long long>(remainder));
    digits.insert(0, chunk);
  }
  if (digits.empty()) digits = "0";
  if (negative && digits != "0") out->push_back('-');
  out->append(digits);
}

// array_out's quoting: needed for "", NULL (any case), and anything with a delimiter, brace, quote, backslash or
// white space.
bool NeedsArrayQuotes(std::string_view element) {
  if (element.empty()) return true;
  if (element.size() == 4 && (element[0] == 'n' || element[0] == 'N') && (element[1] == 'u' || element[1] == 'U') &&
      (element[2] == 'l' || element[2] == 'L') && (element[3] == 'l' || element[3] == 'L'))
    return true;
  for (char c : element) {
    switch (c) {
      case '"': case '\\': case '{': case '}': case ',': case ' ': case '\t': case '\n': case '\r': case '\v':
      case '\f':
        return true;
      default:
        break;
    }
  }
  return false;
}

void AppendArrayElement(std::string* out, std::string_view element) {
  if (!NeedsArrayQuotes(element)) {
    out->append(element);
    return;
  }
  out->push_back('"');
  for (char c : element) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendArrayText(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                     std::string* out) {
  ListRange range = GetListRange(type, vector, row);
  const ValueType& element = type.children.front();
  bool nested = element.kind == Kind::kList || element.kind == Kind::kArray;
  out->push_back('{');
  std::string text;
  for (idx_t i = 0; i < range.length; ++i) {
    if (i > 0) out->push_back(',');
    idx_t child_row = range.offset + i;
    if (!IsValid(range.child, child_row) || element.kind == Kind::kUnsupported || element.kind == Kind::kNull) {
      out->append("NULL");
    } else if (nested) {
      AppendArrayText(element, context, range.child, child_row, out);
    } else {
      text.clear();
      AppendText(element, context, range.child, child_row, &text);
      AppendArrayElement(out, text);
    }
  }
  out->push_back('}');
}

}  // namespace

// "HH:MM:SS[.ffffff]" for a non-negative time of day (24:00:00 included).
void AppendTimeOfDay(std::string* out, int64_t micros) {
  int64_t seconds = micros / 1000000;
  AppendPadded(out, seconds / 3600, 2);
  out->push_back(':');
  AppendPadded(out, seconds / 60 % 60, 2);
  out->push_back(':');
  AppendPadded(out, seconds % 60, 2);
  AppendFraction(out, micros % 1000000);
}

// EncodeTimezone: "+HH", "+HH:MM" or "+HH:MM:SS"; `always_minutes` for the XSD style of JSON.
void AppendOffset(std::string* out, int32_t offset_east, bool always_minutes) {
  out->push_back(offset_east >= 0 ? '+' : '-');
  int32_t seconds = std::abs(offset_east);
  AppendPadded(out, seconds / 3600, 2);
  if (seconds % 60 != 0) {
    out->push_back(':');
    AppendPadded(out, seconds / 60 % 60, 2);
    out->push_back(':');
    AppendPadded(out, seconds % 60, 2);
  } else if (seconds / 60 % 60 != 0 || always_minutes) {
    out->push_back(':');
    AppendPadded(out, seconds / 60 % 60, 2);
  }
}

// "YYYY-MM-DD" without the era; returns whether the year is BC.
bool AppendCivilDate(std::string* out, int64_t days) {
  CivilDate date = CivilFromDays(days);
  bool bc = date.year <= 0;
  AppendPadded(out, bc ? 1 - date.year : date.year, 4);
  out->push_back('-');
  AppendPadded(out, date.month, 2);
  out->push_back('-');
  AppendPadded(out, date.day, 2);
  return bc;
}

ListRange GetListRange(const ValueType& type, duckdb_vector vector, idx_t row) {
  if (type.kind == Kind::kArray)
    return ListRange{duckdb_array_vector_get_child(vector), row * type.array_size, type.array_size};
  auto entry = Get<duckdb_list_entry>(vector, row);
  return ListRange{duckdb_list_vector_get_child(vector), entry.offset, entry.length};
}

void AppendTimestampText(std::string* out, int64_t micros, const FormatContext* zone_context) {
  if (micros == INT64_MAX || micros == INT64_MIN) {
    out->append(micros == INT64_MAX ? "infinity" : "-infinity");
    return;
  }
  int32_t offset = zone_context == nullptr ? 0 : zone_context->UtcOffset(micros);
  int64_t local = micros + int64_t{offset} * 1000000;
  int64_t days = FloorDiv(local, kMicrosPerDay);
  bool bc = AppendCivilDate(out, days);
  out->push_back(' ');
  AppendTimeOfDay(out, local - days * kMicrosPerDay);
  if (zone_context != nullptr) AppendOffset(out, offset, false);
  if (bc) out->append(" BC");
}

void AppendIntervalText(std::string* out, duckdb_interval value) {
  bool is_zero = true;
  bool is_before = false;
  AppendIntervalPart(out, value.months / 12, "year", &is_zero, &is_before);
  AppendIntervalPart(out, value.months % 12, "mon", &is_zero, &is_before);
  AppendIntervalPart(out, value.days, "day", &is_zero, &is_before);
  if (!is_zero && value.micros == 0) return;
  bool minus = value.micros < 0;
  // |micros| without overflow at INT64_MIN.
  uint64_t magnitude = minus ? uint64_t{0} - static_cast<uint64_t>(value.micros) : static_cast<uint64_t>(value.micros);
  if (!is_zero) out->push_back(' ');
  if (minus) {
    out->push_back('-');
  } else if (is_before) {
    out->push_back('+');
  }
  uint64_t seconds = magnitude / 1000000;
  AppendPadded(out, static_cast<int64_t>(seconds / 3600), 2);
  out->push_back(':');
  AppendPadded(out, static_cast<int64_t>(seconds / 60 % 60), 2);
  out->push_back(':');
  AppendPadded(out, static_cast<int64_t>(seconds % 60), 2);
  AppendFraction(out, static_cast<int64_t>(magnitude % 1000000));
}

void AppendText(const ValueType& type, const FormatContext& context, duckdb_vector vector, idx_t row,
                std::string* out) {
  switch (type.kind) {
    case Kind::kBool: out->push_back(Get<bool>(vector, row) ? 't' : 'f'); return;
    case Kind::kInt8: AppendInteger(out, int{Get<int8_t>(vector, row)}); return;
    case Kind::kInt16: AppendInteger(out, Get<int16_t>(vector, row)); return;
    case Kind::kInt32: AppendInteger(out, Get<int32_t>(vector, row)); return;
    case Kind::kInt64: AppendInteger(out, Get<int64_t>(vector, row)); return;
    case Kind::kUInt8: AppendInteger(out, Get<uint8_t>(vector, row)); return;
    case Kind::kUInt16: AppendInteger(out, Get<uint16_t>(vector, row)); return;
    case Kind::kUInt32: AppendInteger(out, Get<uint32_t>(vector, row)); return;
    case Kind::kUInt64: AppendInteger(out, Get<uint64_t>(vector, row)); return;
    case Kind::kHugeint: out->append(ScaledToString(GetInteger(type.kind, vector, row), 0)); return;
    case Kind::kUHugeint: out->append(UInt128ToString(ToUInt128(Get<duckdb_uhugeint>(vector, row)))); return;
    case Kind::kDecimal: out->append(ScaledToString(GetInteger(type.storage, vector, row), type.scale)); return;
    case Kind::kFloat: AppendDouble(out, Get<float>(vector, row), true, context.extra_float_digits); return;
    case Kind::kDouble: AppendDouble(out, Get<double>(vector, row), false, context.extra_float_digits); return;
    case Kind::kVarchar: out->append(GetString(vector, row)); return;
    case Kind::kBlob: AppendHexBytes(out, GetString(vector, row)); return;
    case Kind::kBit: AppendBits(out, GetString(vector, row)); return;
    case Kind::kBignum: AppendBignum(out, GetString(vector, row)); return;
    case Kind::kDate: AppendDate(out, Get<int32_t>(vector, row)); return;
    case Kind::kTime: AppendTimeOfDay(out, Get<int64_t>(vector, row)); return;
    case Kind::kTimeNs: AppendTimeOfDay(out, Get<int64_t>(vector, row) / 1000); return;
    case Kind::kTimeTz: AppendTimeTz(out, vector, row); return;
    case Kind::kTimestamp: case Kind::kTimestampS: case Kind::kTimestampMs: case Kind::kTimestampNs:
      AppendTimestampText(out, TimestampMicros(type.kind, vector, row), nullptr);
      return;
    case Kind::kTimestampTz: AppendTimestampText(out, TimestampMicros(type.kind, vector, row), &context); return;
    case Kind::kInterval: AppendIntervalText(out, Get<duckdb_interval>(vector, row)); return;
    case Kind::kUuid: AppendUuid(out, Get<duckdb_hugeint>(vector, row)); return;
    case Kind::kEnum: {
      auto index = static_cast<size_t>(GetInteger(type.storage, vector, row));
      if (index < type.names.size()) out->append(type.names[index]);
      return;
    }
    case Kind::kList: case Kind::kArray: AppendArrayText(type, context, vector, row, out); return;
    case Kind::kStruct: case Kind::kMap: case Kind::kUnion: AppendJson(type, context, vector, row, out); return;
    case Kind::kNull: case Kind::kUnsupported: return;
  }
}

}  // namespace cdmlake::server::internal
