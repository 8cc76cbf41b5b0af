#include "cdm/data_type.h"

#include <algorithm>
#include <utility>

#include "util/strings.h"

namespace cdmlake::cdm {

namespace {

struct NamedFormat {
  const char* name;
  DataFormat format;
};

constexpr NamedFormat kDataFormats[] = {
    {"Int16", DataFormat::kInt16},       {"Int32", DataFormat::kInt32},
    {"Int64", DataFormat::kInt64},       {"Float", DataFormat::kFloat},
    {"Double", DataFormat::kDouble},     {"Guid", DataFormat::kGuid},
    {"String", DataFormat::kString},     {"Char", DataFormat::kChar},
    {"Byte", DataFormat::kByte},         {"Binary", DataFormat::kBinary},
    {"Time", DataFormat::kTime},         {"Date", DataFormat::kDate},
    {"DateTime", DataFormat::kDateTime}, {"DateTimeOffset", DataFormat::kDateTimeOffset},
    {"Boolean", DataFormat::kBoolean},   {"Decimal", DataFormat::kDecimal},
    {"Json", DataFormat::kJson},         {"Unknown", DataFormat::kUnknown},
};

// Data type names from primitives.cdm.json, foundations.cdm.json and the model.json schema.
constexpr NamedFormat kTypeNames[] = {
    {"string", DataFormat::kString},          {"char", DataFormat::kChar},
    {"integer", DataFormat::kInt32},          {"int", DataFormat::kInt32},
    {"int32", DataFormat::kInt32},            {"smallInteger", DataFormat::kInt16},
    {"int16", DataFormat::kInt16},            {"bigInteger", DataFormat::kInt64},
    {"int64", DataFormat::kInt64},            {"long", DataFormat::kInt64},
    {"unsignedInteger", DataFormat::kInt64},  {"float", DataFormat::kFloat},
    {"double", DataFormat::kDouble},          {"real", DataFormat::kDouble},
    {"decimal", DataFormat::kDecimal},        {"fixedDecimal", DataFormat::kDecimal},
    {"variableDecimal", DataFormat::kDecimal}, {"JSInteger", DataFormat::kDecimal},
    {"currency", DataFormat::kDecimal},       {"boolean", DataFormat::kBoolean},
    {"byte", DataFormat::kByte},              {"binary", DataFormat::kBinary},
    {"guid", DataFormat::kGuid},              {"entityId", DataFormat::kGuid},
    {"date", DataFormat::kDate},              {"time", DataFormat::kTime},
    {"dateTime", DataFormat::kDateTime},      {"dateTimeOffset", DataFormat::kDateTimeOffset},
    {"json", DataFormat::kJson},              {"unclassified", DataFormat::kUnknown},
    {"listLookup", DataFormat::kInt32},       {"listLookupWellKnown", DataFormat::kInt32},
    {"listLookupMultiple", DataFormat::kString}, {"localizedDisplayText", DataFormat::kString},
    {"name", DataFormat::kString},            {"email", DataFormat::kString},
    {"phone", DataFormat::kString},           {"url", DataFormat::kString},
    {"year", DataFormat::kInt32},             {"month", DataFormat::kInt32},
    {"day", DataFormat::kInt32},              {"week", DataFormat::kInt32},
};

}  // namespace

std::string DataFormatName(DataFormat format) {
  for (const auto& f : kDataFormats) {
    if (f.format == format) return f.name;
  }
  return "Unknown";
}

std::optional<DataFormat> ParseDataFormat(std::string_view text) {
  for (const auto& f : kDataFormats) {
    if (EqualsIgnoreCase(text, f.name)) return f.format;
  }
  return std::nullopt;
}

std::optional<DataFormat> ParseDataTypeName(std::string_view name) {
  for (const auto& t : kTypeNames) {
    if (EqualsIgnoreCase(name, t.name)) return t.format;
  }
  return std::nullopt;
}

std::optional<DataFormat> DataFormatFromTraits(const std::vector<std::string>& trait_names) {
  auto has = [&](const char* suffix) {
    std::string full = std::string("is.dataFormat.") + suffix;
    return std::any_of(trait_names.begin(), trait_names.end(),
                       [&](const std::string& t) { return EqualsIgnoreCase(t, full); });
  };
  bool is_array = has("array");
  if (has("integer")) return has("big") ? DataFormat::kInt64 : has("small") ? DataFormat::kInt16 : DataFormat::kInt32;
  if (has("floatingPoint")) return has("big") ? DataFormat::kDouble : DataFormat::kFloat;
  if (has("character")) return is_array ? DataFormat::kString : DataFormat::kChar;
  if (has("guid")) return DataFormat::kGuid;
  if (has("byte")) return is_array ? DataFormat::kBinary : DataFormat::kByte;
  if (has("date") && has("time")) return has("timeOffset") ? DataFormat::kDateTimeOffset : DataFormat::kDateTime;
  if (has("date")) return DataFormat::kDate;
  if (has("time")) return DataFormat::kTime;
  if (has("boolean")) return DataFormat::kBoolean;
  if (has("numeric.shaped")) return DataFormat::kDecimal;
  bool json_text = std::any_of(trait_names.begin(), trait_names.end(),
                               [](const std::string& t) { return EqualsIgnoreCase(t, "means.content.text.JSON"); });
  if (is_array && json_text) return DataFormat::kJson;
  return std::nullopt;
}

std::string ModelJsonTypeName(DataFormat format) {
  switch (format) {
    case DataFormat::kInt16: case DataFormat::kInt32: case DataFormat::kInt64: case DataFormat::kByte: return "int64";
    case DataFormat::kFloat: case DataFormat::kDouble: return "double";
    case DataFormat::kDecimal: return "decimal";
    case DataFormat::kBoolean: return "boolean";
    case DataFormat::kGuid: return "guid";
    case DataFormat::kString: case DataFormat::kChar: case DataFormat::kBinary: return "string";
    case DataFormat::kTime: return "time";
    case DataFormat::kDate: return "date";
    case DataFormat::kDateTime: return "dateTime";
    case DataFormat::kDateTimeOffset: return "dateTimeOffset";
    case DataFormat::kJson: return "json";
    case DataFormat::kUnknown: return "unclassified";
  }
  return "unclassified";
}

std::string DuckDbType(DataFormat format, int precision, int scale) {
  switch (format) {
    case DataFormat::kInt16: return "SMALLINT";
    case DataFormat::kInt32: return "INTEGER";
    case DataFormat::kInt64: return "BIGINT";
    case DataFormat::kByte: return "UTINYINT";  // T-SQL tinyint is 0..255
    case DataFormat::kFloat: return "FLOAT";
    case DataFormat::kDouble: return "DOUBLE";
    case DataFormat::kDecimal: {
      int p = precision > 0 ? std::min(precision, kMaxDecimalPrecision) : kDefaultDecimalPrecision;
      int s = scale >= 0 ? std::min(scale, p) : std::min(kDefaultDecimalScale, p);
      return "DECIMAL(" + std::to_string(p) + "," + std::to_string(s) + ")";
    }
    case DataFormat::kBoolean: return "BOOLEAN";
    case DataFormat::kGuid: return "UUID";
    case DataFormat::kString: case DataFormat::kChar: case DataFormat::kUnknown: return "VARCHAR";
    case DataFormat::kBinary: return "BLOB";
    case DataFormat::kTime: return "TIME";
    case DataFormat::kDate: return "DATE";
    case DataFormat::kDateTime: return "TIMESTAMP";
    case DataFormat::kDateTimeOffset: return "TIMESTAMPTZ";
    case DataFormat::kJson: return "JSON";
  }
  return "VARCHAR";
}

}  // namespace cdmlake::cdm
