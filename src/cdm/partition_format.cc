#include "cdm/partition_format.h"

#include "util/strings.h"

namespace cdmlake::cdm {

namespace {

bool IsTrue(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>();
  return EqualsIgnoreCase(Trim(ScalarText(v)), "true");
}

// Applies one named CSV setting (trait argument or fileFormatSettings member). Returns false when unknown.
void ApplyCsvSetting(std::string_view name, const nlohmann::json& value, PartitionFormat* out) {
  CsvFormat& csv = out->csv;
  std::string text = ScalarText(value);
  if (EqualsIgnoreCase(name, "columnHeaders")) {
    csv.header = IsTrue(value);
  } else if (EqualsIgnoreCase(name, "delimiter")) {
    if (text.empty()) {
      out->errors.push_back("the CSV delimiter is empty");
    } else {
      csv.delimiter = text;
    }
  } else if (EqualsIgnoreCase(name, "quoteStyle")) {
    if (EqualsIgnoreCase(text, "QuoteStyle.None")) csv.quote.clear();
  } else if (EqualsIgnoreCase(name, "quote")) {
    csv.quote = text;
  } else if (EqualsIgnoreCase(name, "escape")) {
    csv.escape = text;
  } else if (EqualsIgnoreCase(name, "encoding")) {
    std::string lower = ToLower(text);
    if (lower == "utf-8" || lower == "utf8" || lower.empty()) {
      csv.encoding = "UTF-8";
    } else if (lower == "utf-16" || lower == "utf16" || lower == "utf-16le") {
      csv.encoding = "UTF-16";
    } else if (lower == "latin-1" || lower == "latin1" || lower == "iso-8859-1" || lower == "windows-1252") {
      csv.encoding = "latin-1";
    } else {
      out->errors.push_back("the CSV encoding '" + text + "' is not supported (UTF-8, UTF-16 and Latin-1 are)");
    }
  } else if (EqualsIgnoreCase(name, "newline")) {
    csv.newline = text;
  } else if (EqualsIgnoreCase(name, "skipLines")) {
    int64_t n = 0;
    if (ParseInt64(text, &n) && n >= 0) {
      csv.skip_lines = static_cast<int>(n);
    } else {
      out->errors.push_back("skipLines '" + text + "' is not a whole number");
    }
  }
  // csvStyle, raggedRight and unknown arguments do not change how a file is read.
}

bool HasParquetExtension(std::string_view location) { return EndsWithIgnoreCase(location, ".parquet"); }

}  // namespace

PartitionFormat FormatFromTraits(const std::vector<TraitRef>& traits, std::string_view location) {
  PartitionFormat out;
  if (const TraitRef* csv = FindTrait(traits, "is.partition.format.CSV")) {
    for (const auto& [name, value] : csv->arguments) {
      if (!name.empty()) ApplyCsvSetting(name, value, &out);
    }
    return out;
  }
  if (FindTrait(traits, "is.partition.format.parquet")) {
    out.format = FileFormat::kParquet;
    return out;
  }
  for (const char* other : {"is.partition.format.JSON", "is.partition.format.deltaLake"}) {
    if (FindTrait(traits, other)) {
      out.errors.push_back(std::string("the partition format ") + other + " is not supported (CSV and Parquet are)");
      return out;
    }
  }
  if (HasParquetExtension(location)) out.format = FileFormat::kParquet;
  return out;
}

PartitionFormat FormatFromModelJsonPartition(const nlohmann::json& partition, std::string_view location) {
  PartitionFormat out;
  std::vector<TraitRef> traits;
  if (const nlohmann::json* t = Member(partition, "cdm:traits")) traits = ParseTraits(*t);
  const TraitRef* csv_trait = FindTrait(traits, "is.partition.format.CSV");
  if (!csv_trait && FindTrait(traits, "is.partition.format.parquet")) {
    out.format = FileFormat::kParquet;
    return out;
  }
  const nlohmann::json* settings = Member(partition, "fileFormatSettings");
  if (settings && settings->is_object()) {
    std::string type = StringMember(*settings, "$type");
    if (!type.empty() && !EqualsIgnoreCase(type, "CsvFormatSettings")) {
      if (EqualsIgnoreCase(type, "ParquetFormatSettings")) {
        out.format = FileFormat::kParquet;
        return out;
      }
      out.errors.push_back("the file format settings type '" + type + "' is not supported");
      return out;
    }
    for (auto it = settings->begin(); it != settings->end(); ++it) {
      if (it.key() != "$type") ApplyCsvSetting(it.key(), it.value(), &out);
    }
  } else if (!csv_trait && HasParquetExtension(location)) {
    out.format = FileFormat::kParquet;
    return out;
  }
  // The trait's arguments win over fileFormatSettings: apply them last.
  if (csv_trait) {
    for (const auto& [name, value] : csv_trait->arguments) {
      if (!name.empty()) ApplyCsvSetting(name, value, &out);
    }
  }
  return out;
}

}  // namespace cdmlake::cdm
