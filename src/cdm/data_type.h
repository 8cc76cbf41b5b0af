// CDM data types and their DuckDB equivalents.
//
// A CDM attribute's type can be given as a dataFormat (resolved documents: "Int64", "Decimal"...), as a
// dataType name (logical documents and model.json: "bigInteger", "fixedDecimal", "dateTime"...), or only
// through is.dataFormat.* traits. All three are parsed case-insensitively into one DataFormat, which maps to
// one DuckDB type. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdmlake::cdm {

enum class DataFormat {
  kUnknown,  // "Unknown"/"unclassified": kept as text
  kInt16, kInt32, kInt64, kFloat, kDouble, kDecimal, kBoolean, kGuid, kString, kChar, kByte, kBinary,
  kTime, kDate, kDateTime, kDateTimeOffset, kJson,
};

// The SDK's CdmDataFormat name ("Int64"...), as written to resolved entity documents.
std::string DataFormatName(DataFormat format);
// Parses a dataFormat value (CdmDataFormat names, case-insensitive). nullopt when unknown.
std::optional<DataFormat> ParseDataFormat(std::string_view text);
// Parses a data type name: the CDM primitives and foundations ("integer", "bigInteger", "fixedDecimal", "entityId",
// "listLookup"...) and the model.json types ("int64", "dateTimeOffset", "unclassified"...). nullopt when unknown
// (for example an EDT name that must be resolved through the document's dataTypeName definitions).
std::optional<DataFormat> ParseDataTypeName(std::string_view name);
// Derives the format from a set of is.dataFormat.* trait names as the SDK's TraitToPropertyMap does.
// nullopt when the traits say nothing about the format.
std::optional<DataFormat> DataFormatFromTraits(const std::vector<std::string>& trait_names);
// model.json's dataType name for a format (the SDK's mapping, except that Binary is not written as "boolean").
std::string ModelJsonTypeName(DataFormat format);

// Default precision and scale for a Decimal without is.dataFormat.numeric.shaped. D365 F&O stores reals as
// numeric(32,6) and Synapse Link declares (38,6); (38,6) holds both without loss.
constexpr int kDefaultDecimalPrecision = 38;
constexpr int kDefaultDecimalScale = 6;
constexpr int kMaxDecimalPrecision = 38;  // DuckDB's limit

// The DuckDB SQL type for a column. precision/scale are used for kDecimal only (-1: the default).
std::string DuckDbType(DataFormat format, int precision = -1, int scale = -1);

}  // namespace cdmlake::cdm
