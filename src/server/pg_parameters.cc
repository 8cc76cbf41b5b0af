// Bind parameters: PostgreSQL's text input and binary receive formats turned into DuckDB values. Text values of
// types DuckDB parses the same way (numeric, dates, times, uuid, json) are bound as VARCHAR and cast by DuckDB;
// the ones whose PostgreSQL syntax differs (bool, bytea, arrays) or that must fail like PostgreSQL (integers,
// floats) are parsed here.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "server/pg_error.h"
#include "server/pg_format_internal.h"

namespace cdmlake::server {
namespace {

using internal::kPgEpochDays;
using internal::kPgEpochMicros;

[[noreturn]] void Fail(const char* sqlstate, int index, const std::string& message) {
  throw PgError(sqlstate, message + " (parameter $" + std::to_string(index) + ")");
}


// Owns a DuckDB value until it is released to the caller.
class ValueHolder {
 public:
  explicit ValueHolder(duckdb_value value = nullptr) : value_(value) {}
  ~ValueHolder() {
    if (value_ != nullptr) duckdb_destroy_value(&value_);
  }
  ValueHolder(ValueHolder&& other) noexcept : value_(other.release()) {}
  ValueHolder(const ValueHolder&) = delete;
  ValueHolder& operator=(const ValueHolder&) = delete;
  duckdb_value get() const { return value_; }
  duckdb_value release() {
    duckdb_value value = value_;
    value_ = nullptr;
    return value;
  }

 private:
  duckdb_value value_;
};

// PostgreSQL accepts only valid UTF-8 without NUL bytes in text values (DuckDB's VARCHAR requires UTF-8 too).
bool IsUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t extra = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (extra == 0 || text.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    }
    auto c1 = static_cast<unsigned char>(text[i + 1]);
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))
      return false;
    i += extra + 1;
  }
  return true;
}

// The input quoted for an error message, which must itself be valid UTF-8: other bytes become '?'.
std::string Quoted(std::string_view text) {
  std::string quoted = "\"" + std::string(text.substr(0, 200)) + "\"";
  if (!IsUtf8(quoted)) {
    for (char& c : quoted) {
      if (c == '\0' || static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
  }
  return quoted;
}

duckdb_value Varchar(int index, std::string_view text) {
  if (!IsUtf8(text)) Fail("22021", index, "invalid byte sequence for encoding \"UTF8\"");
  return duckdb_create_varchar_length(text.data(), text.size());
}

std::string_view Trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// pg_strtoint16/32/64: optional sign, decimal digits, surrounding white space.
int64_t ParseInteger(int index, std::string_view text, int64_t min, int64_t max, const char* type_name) {
  std::string_view digits = Trim(text);
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) {
    Fail(sqlstate::kInvalidTextRepresentation, index,
         std::string("invalid input syntax for type ") + type_name + ": " + Quoted(text));
  }
  uint64_t magnitude = 0;
  bool overflow = false;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      Fail(sqlstate::kInvalidTextRepresentation, index,
           std::string("invalid input syntax for type ") + type_name + ": " + Quoted(text));
    }
    overflow = overflow || magnitude > (UINT64_MAX - 9) / 10;
    magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');
  }
  uint64_t limit = negative ? static_cast<uint64_t>(-(min + 1)) + 1 : static_cast<uint64_t>(max);
  if (overflow || magnitude > limit) {
    Fail(sqlstate::kNumericOutOfRange, index,
         "value " + Quoted(text) + " is out of range for type " + type_name);
  }
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

double ParseFloat(int index, std::string_view text, bool is_float4) {
  const char* type_name = is_float4 ? "real" : "double precision";
  std::string trimmed(Trim(text));
  if (trimmed.empty()) {
    Fail(sqlstate::kInvalidTextRepresentation, index,
         std::string("invalid input syntax for type ") + type_name + ": " + Quoted(text));
  }
  errno = 0;
  char* end = nullptr;
  double value = is_float4 ? std::strtof(trimmed.c_str(), &end) : std::strtod(trimmed.c_str(), &end);
  if (end != trimmed.c_str() + trimmed.size()) {
    Fail(sqlstate::kInvalidTextRepresentation, index,
         std::string("invalid input syntax for type ") + type_name + ": " + Quoted(text));
  }
  if (errno == ERANGE && (value == 0 || std::isinf(value))) {
    Fail(sqlstate::kNumericOutOfRange, index, Quoted(trimmed) + " is out of range for type " + type_name);
  }
  return value;
}

// parse_bool_with_len: any prefix of true/yes/false/no, "on"/"off" (at least two letters), 1, 0.
bool ParseBool(int index, std::string_view text) {
  std::string value(Trim(text));
  for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto prefix_of = [&](std::string_view word, size_t min_length) {
    return value.size() >= min_length && value.size() <= word.size() && word.substr(0, value.size()) == value;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || value == "1") return true;
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || value == "0") return false;
  Fail(sqlstate::kInvalidTextRepresentation, index, "invalid input syntax for type boolean: " + Quoted(text));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// byteain: "\x" hex (white space between digit pairs allowed) or the escape format (\\ and \ooo).
std::string ParseBytea(int index, std::string_view text) {
  std::string bytes;
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
    for (size_t i = 2; i < text.size();) {
      if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
        ++i;
        continue;
      }
      int high = HexValue(text[i]);
      if (high < 0) Fail(sqlstate::kInvalidParameterValue, index, "invalid hexadecimal digit: " + Quoted(text.substr(i, 1)));
      if (i + 1 >= text.size()) Fail(sqlstate::kInvalidParameterValue, index, "invalid hexadecimal data: odd number of digits");
      int low = HexValue(text[i + 1]);
      if (low < 0) Fail(sqlstate::kInvalidParameterValue, index, "invalid hexadecimal digit: " + Quoted(text.substr(i + 1, 1)));
      bytes.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
    return bytes;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      bytes.push_back(text[i]);
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      bytes.push_back('\\');
      ++i;
    } else if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' && text[i + 2] >= '0' &&
               text[i + 2] <= '7' && text[i + 3] >= '0' && text[i + 3] <= '7') {
      bytes.push_back(static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0')));
      i += 3;
    } else {
      Fail(sqlstate::kInvalidTextRepresentation, index, "invalid input syntax for type bytea");
    }
  }
  return bytes;
}

duckdb_value DecodeText(int index, int32_t type_oid, std::string_view text);

// duckdb_create_list_value refuses a null array even for an empty list.
duckdb_value CreateList(duckdb_logical_type type, std::vector<ValueHolder>& elements) {
  std::vector<duckdb_value> raw(elements.size() + 1, nullptr);
  for (size_t i = 0; i < elements.size(); ++i) raw[i] = elements[i].get();
  return duckdb_create_list_value(type, raw.data(), elements.size());
}

// The DuckDB type DecodeText gives a value of `oid`.
duckdb_logical_type TextElementType(int32_t oid) {
  switch (oid) {
    case pgoid::kInt2: return duckdb_create_logical_type(DUCKDB_TYPE_SMALLINT);
    case pgoid::kInt4: return duckdb_create_logical_type(DUCKDB_TYPE_INTEGER);
    case pgoid::kInt8: case pgoid::kOid: return duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
    case pgoid::kFloat4: return duckdb_create_logical_type(DUCKDB_TYPE_FLOAT);
    case pgoid::kFloat8: return duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE);
    case pgoid::kBool: return duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN);
    case pgoid::kBytea: return duckdb_create_logical_type(DUCKDB_TYPE_BLOB);
    default: return duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
  }
}

// array_in for one-dimensional arrays: each element is decoded as a parameter of the element type, so the list
// holds typed values or, for types DuckDB parses itself, VARCHARs it casts (its own VARCHAR → LIST cast expects
// [..] syntax, not {..}).
duckdb_value DecodeTextArray(int index, int32_t element_oid, std::string_view text) {
  auto bad = [&]() {
    Fail(sqlstate::kInvalidTextRepresentation, index, "malformed array literal: " + Quoted(text));
  };
  std::string_view body = Trim(text);
  if (body.size() < 2 || body.front() != '{' || body.back() != '}') bad();
  body = body.substr(1, body.size() - 2);
  std::vector<ValueHolder> elements;
  size_t i = 0;
  while (Trim(body).size() > 0 && i <= body.size()) {
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) ++i;
    std::string element;
    bool quoted = false;
    if (i < body.size() && body[i] == '"') {
      quoted = true;
      for (++i; i < body.size() && body[i] != '"'; ++i) {
        if (body[i] == '\\' && i + 1 < body.size()) ++i;
        element.push_back(body[i]);
      }
      if (i >= body.size()) bad();
      ++i;
      while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    } else {
      for (; i < body.size() && body[i] != ','; ++i) {
        if (body[i] == '{' || body[i] == '}' || body[i] == '"') bad();  // multidimensional arrays are not lists
        if (body[i] == '\\' && i + 1 < body.size()) ++i;
        element.push_back(body[i]);
      }
      element = std::string(Trim(element));
      if (element.empty()) bad();
    }
    if (!quoted && (element == "NULL" || element == "null" || element == "Null")) {
      elements.emplace_back(duckdb_create_null_value());
    } else {
      elements.emplace_back(DecodeText(index, element_oid, element));
    }
    if (i >= body.size()) break;
    if (body[i] != ',') bad();
    ++i;
    if (i >= body.size()) bad();
  }
  duckdb_logical_type type = TextElementType(element_oid);
  duckdb_value list = CreateList(type, elements);
  duckdb_destroy_logical_type(&type);
  if (list == nullptr) bad();
  return list;
}

duckdb_value DecodeText(int index, int32_t type_oid, std::string_view text) {
  switch (type_oid) {
    case pgoid::kInt2: return duckdb_create_int16(static_cast<int16_t>(ParseInteger(index, text, INT16_MIN, INT16_MAX, "smallint")));
    case pgoid::kInt4: return duckdb_create_int32(static_cast<int32_t>(ParseInteger(index, text, INT32_MIN, INT32_MAX, "integer")));
    case pgoid::kInt8: return duckdb_create_int64(ParseInteger(index, text, INT64_MIN, INT64_MAX, "bigint"));
    case pgoid::kOid: return duckdb_create_int64(ParseInteger(index, text, 0, UINT32_MAX, "oid"));
    case pgoid::kFloat4: return duckdb_create_float(static_cast<float>(ParseFloat(index, text, true)));
    case pgoid::kFloat8: return duckdb_create_double(ParseFloat(index, text, false));
    case pgoid::kBool: return duckdb_create_bool(ParseBool(index, text));
    case pgoid::kBytea: {
      std::string bytes = ParseBytea(index, text);
      return duckdb_create_blob(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    }
    default: {
      int32_t element = ElementOidOf(type_oid);
      if (element != 0) return DecodeTextArray(index, element, text);
      return Varchar(index, text);
    }
  }
}

// A big-endian reader over one binary parameter value.
class Reader {
 public:
  Reader(int index, std::string_view bytes) : index_(index), bytes_(bytes) {}
  uint64_t Read(size_t size) {
    if (bytes_.size() - position_ < size) Fail(sqlstate::kProtocolViolation, index_, "insufficient data left in message");
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) value = (value << 8) | static_cast<unsigned char>(bytes_[position_ + i]);
    position_ += size;
    return value;
  }
  int16_t Int16() { return static_cast<int16_t>(Read(2)); }
  int32_t Int32() { return static_cast<int32_t>(Read(4)); }
  int64_t Int64() { return static_cast<int64_t>(Read(8)); }
  std::string_view Bytes(size_t size) {
    if (bytes_.size() - position_ < size) Fail(sqlstate::kProtocolViolation, index_, "insufficient data left in message");
    std::string_view result = bytes_.substr(position_, size);
    position_ += size;
    return result;
  }
  std::string_view Rest() { return Bytes(bytes_.size() - position_); }
  // PostgreSQL's check after a recv function: the value must be consumed exactly.
  void ExpectEnd() const {
    if (position_ != bytes_.size()) {
      throw PgError(sqlstate::kInvalidBinaryRepresentation,
                    "incorrect binary data format in bind parameter " + std::to_string(index_));
    }
  }
  int index() const { return index_; }

 private:
  int index_;
  std::string_view bytes_;
  size_t position_ = 0;
};

// numeric_recv, into decimal text that DuckDB casts (NaN and infinities included).
std::string ReadNumeric(Reader* reader) {
  int ndigits = reader->Int16();
  int weight = reader->Int16();
  auto sign = static_cast<uint16_t>(reader->Int16());
  int dscale = reader->Int16();
  if (ndigits < 0 || dscale < 0 || (sign != 0 && sign != 0x4000 && sign != 0xC000 && sign != 0xD000 && sign != 0xF000))
    Fail(sqlstate::kInvalidBinaryRepresentation, reader->index(), "invalid sign in external \"numeric\" value");
  if (sign == 0xC000) return "NaN";
  if (sign == 0xD000) return "Infinity";
  if (sign == 0xF000) return "-Infinity";
  std::vector<int> digits;
  for (int i = 0; i < ndigits; ++i) {
    int digit = reader->Int16();
    if (digit < 0 || digit >= 10000)
      Fail(sqlstate::kInvalidBinaryRepresentation, reader->index(), "invalid digit in external \"numeric\" value");
    digits.push_back(digit);
  }
  auto group = [&](int position) { return position >= 0 && position < ndigits ? digits[position] : 0; };
  std::string text = sign == 0x4000 ? "-" : "";
  if (weight < 0) {
    text += "0";
  } else {
    text += std::to_string(group(0));
    for (int position = 1; position <= weight; ++position) {
      std::string chunk = std::to_string(group(position));
      text += std::string(4 - chunk.size(), '0') + chunk;
    }
  }
  if (dscale > 0) {
    std::string fraction;
    for (int position = weight + 1; static_cast<int>(fraction.size()) < dscale; ++position) {
      std::string chunk = std::to_string(group(position));
      fraction += std::string(4 - chunk.size(), '0') + chunk;
    }
    text += "." + fraction.substr(0, dscale);
  }
  return text;
}

duckdb_value ReadTimestamp(Reader* reader, bool with_zone) {
  int64_t value = reader->Int64();
  int64_t micros = value;
  if (value == INT64_MAX) {
    micros = internal::kDuckTimestampInfinity;
  } else if (value == INT64_MIN) {
    micros = internal::kDuckTimestampNegInfinity;
  } else if (__builtin_add_overflow(value, kPgEpochMicros, &micros) || micros == INT64_MAX) {
    Fail("22008", reader->index(), "timestamp out of range");
  }
  return with_zone ? duckdb_create_timestamp_tz(duckdb_timestamp{micros}) : duckdb_create_timestamp(duckdb_timestamp{micros});
}

duckdb_value ReadDate(Reader* reader) {
  int32_t value = reader->Int32();
  if (value == INT32_MAX) return duckdb_create_date(duckdb_date{internal::kDuckDateInfinity});
  if (value == INT32_MIN) return duckdb_create_date(duckdb_date{internal::kDuckDateNegInfinity});
  int32_t days = 0;
  if (__builtin_add_overflow(value, kPgEpochDays, &days) || days == INT32_MAX)
    Fail("22008", reader->index(), "date out of range");
  return duckdb_create_date(duckdb_date{days});
}

duckdb_value ReadUuid(Reader* reader) {
  duckdb_uhugeint value;
  value.upper = reader->Read(8);
  value.lower = reader->Read(8);
  return duckdb_create_uuid(value);
}

duckdb_value DecodeBinary(Reader* reader, int32_t type_oid);

duckdb_logical_type ElementLogicalType(int32_t element_oid) {
  switch (element_oid) {
    case pgoid::kBool: return duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN);
    case pgoid::kInt2: return duckdb_create_logical_type(DUCKDB_TYPE_SMALLINT);
    case pgoid::kInt4: return duckdb_create_logical_type(DUCKDB_TYPE_INTEGER);
    case pgoid::kInt8: case pgoid::kOid: return duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
    case pgoid::kFloat4: return duckdb_create_logical_type(DUCKDB_TYPE_FLOAT);
    case pgoid::kFloat8: return duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE);
    case pgoid::kBytea: return duckdb_create_logical_type(DUCKDB_TYPE_BLOB);
    case pgoid::kDate: return duckdb_create_logical_type(DUCKDB_TYPE_DATE);
    case pgoid::kTime: return duckdb_create_logical_type(DUCKDB_TYPE_TIME);
    case pgoid::kTimestamp: return duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP);
    case pgoid::kTimestamptz: return duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP_TZ);
    case pgoid::kInterval: return duckdb_create_logical_type(DUCKDB_TYPE_INTERVAL);
    case pgoid::kUuid: return duckdb_create_logical_type(DUCKDB_TYPE_UUID);
    default: return duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);  // text-like, numeric (as decimal text)
  }
}

// array_recv for one dimension (DuckDB lists have one).
duckdb_value ReadArray(Reader* reader, int32_t element_oid) {
  int32_t dimensions = reader->Int32();
  reader->Int32();  // has-null flag: NULLs are seen per element
  int32_t given_element = reader->Int32();
  if (dimensions > 1) Fail(sqlstate::kFeatureNotSupported, reader->index(), "multidimensional arrays are not supported");
  if (dimensions < 0) Fail(sqlstate::kInvalidBinaryRepresentation, reader->index(), "invalid number of dimensions");
  if (given_element != element_oid && given_element != 0)
    Fail(sqlstate::kInvalidBinaryRepresentation, reader->index(), "wrong element type");
  int32_t count = 0;
  if (dimensions == 1) {
    count = reader->Int32();
    reader->Int32();  // lower bound: lists start at 1
    if (count < 0) Fail(sqlstate::kInvalidBinaryRepresentation, reader->index(), "invalid array length");
  }
  std::vector<ValueHolder> elements;
  for (int32_t i = 0; i < count; ++i) {
    int32_t length = reader->Int32();
    if (length < 0) {
      elements.emplace_back(duckdb_create_null_value());
      continue;
    }
    Reader element(reader->index(), reader->Bytes(static_cast<size_t>(length)));
    elements.emplace_back(DecodeBinary(&element, element_oid));
    element.ExpectEnd();
  }
  duckdb_logical_type type = ElementLogicalType(element_oid);
  duckdb_value list = CreateList(type, elements);
  duckdb_destroy_logical_type(&type);
  if (list == nullptr) Fail(sqlstate::kInvalidBinaryRepresentation, reader->index(), "invalid array elements");
  return list;
}

duckdb_value DecodeBinary(Reader* reader, int32_t type_oid) {
  switch (type_oid) {
    case pgoid::kBool: return duckdb_create_bool(reader->Read(1) != 0);
    case pgoid::kInt2: return duckdb_create_int16(reader->Int16());
    case pgoid::kInt4: return duckdb_create_int32(reader->Int32());
    case pgoid::kInt8: return duckdb_create_int64(reader->Int64());
    case pgoid::kOid: return duckdb_create_int64(static_cast<int64_t>(reader->Read(4)));
    case pgoid::kFloat4: {
      auto bits = static_cast<uint32_t>(reader->Read(4));
      float value;
      std::memcpy(&value, &bits, sizeof(value));
      return duckdb_create_float(value);
    }
    case pgoid::kFloat8: {
      uint64_t bits = reader->Read(8);
      double value;
      std::memcpy(&value, &bits, sizeof(value));
      return duckdb_create_double(value);
    }
    case 0: case pgoid::kUnknown: case pgoid::kText: case pgoid::kVarchar: case pgoid::kBpchar: case pgoid::kName:
    case pgoid::kChar: case pgoid::kJson:
      return Varchar(reader->index(), reader->Rest());
    case pgoid::kJsonb: {
      auto version = static_cast<int>(reader->Read(1));
      if (version != 1)
        Fail(sqlstate::kInvalidBinaryRepresentation, reader->index(), "unsupported jsonb version number " + std::to_string(version));
      return Varchar(reader->index(), reader->Rest());
    }
    case pgoid::kBytea: {
      std::string_view bytes = reader->Rest();
      return duckdb_create_blob(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    }
    case pgoid::kNumeric: {
      std::string text = ReadNumeric(reader);
      return duckdb_create_varchar_length(text.data(), text.size());
    }
    case pgoid::kDate: return ReadDate(reader);
    case pgoid::kTime: {
      int64_t micros = reader->Int64();
      if (micros < 0 || micros > internal::kMicrosPerDay) Fail("22008", reader->index(), "time out of range");
      return duckdb_create_time(duckdb_time{micros});
    }
    case pgoid::kTimetz: {
      int64_t micros = reader->Int64();
      int32_t zone = reader->Int32();  // seconds west
      if (micros < 0 || micros > internal::kMicrosPerDay || zone < -57599 || zone > 57599)
        Fail("22008", reader->index(), "time with time zone out of range");
      return duckdb_create_time_tz_value(duckdb_create_time_tz(micros, -zone));
    }
    case pgoid::kTimestamp: return ReadTimestamp(reader, false);
    case pgoid::kTimestamptz: return ReadTimestamp(reader, true);
    case pgoid::kInterval: {
      duckdb_interval value;
      value.micros = reader->Int64();
      value.days = reader->Int32();
      value.months = reader->Int32();
      return duckdb_create_interval(value);
    }
    case pgoid::kUuid: return ReadUuid(reader);
    default: {
      int32_t element = ElementOidOf(type_oid);
      if (element != 0 && ElementOidOf(element) == 0) return ReadArray(reader, element);
      Fail(sqlstate::kFeatureNotSupported, reader->index(),
           "no binary input function available for type " + PgTypeName(PgType{type_oid, -1, -1}));
    }
  }
}

}  // namespace

duckdb_value DecodeParameter(int index, int32_t type_oid, bool binary, std::optional<std::string_view> bytes) {
  if (!bytes.has_value()) return nullptr;
  if (!binary) return DecodeText(index, type_oid, *bytes);
  Reader reader(index, *bytes);
  ValueHolder value(DecodeBinary(&reader, type_oid));
  reader.ExpectEnd();
  return value.release();
}

}  // namespace cdmlake::server
