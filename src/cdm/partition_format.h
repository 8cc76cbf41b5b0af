// The file format and CSV settings of a data partition, from the manifest's is.partition.format.* traits or
// model.json's fileFormatSettings. A partition with neither is CSV, comma-delimited, without header (the
// spark-cdm-connector's behaviour), except that a ".parquet" file is read as Parquet. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cdm/json_document.h"
#include "cdm/model.h"

namespace cdmlake::cdm {

struct PartitionFormat {
  FileFormat format = FileFormat::kCsv;
  CsvFormat csv;
  // Settings we could not honour (an unsupported encoding...), as messages for Problems.
  std::vector<std::string> errors;
};

// From the traits of a manifest partition or pattern (exhibitsTraits).
PartitionFormat FormatFromTraits(const std::vector<TraitRef>& traits, std::string_view location);
// From a model.json partition: cdm:traits win, fileFormatSettings fill in what they leave out (as the SDK does).
PartitionFormat FormatFromModelJsonPartition(const nlohmann::json& partition, std::string_view location);

}  // namespace cdmlake::cdm
