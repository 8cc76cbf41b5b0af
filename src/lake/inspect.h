// The report behind `cdmlake lake inspect`: every entity with its schema, manifest, columns (CDM and SQL types)
// and data files, and every problem found, including data files that are missing or outside the lake. Kept here
// rather than in the command line so tests can check it directly. Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "lake/catalog.h"

namespace cdmlake::lake {

struct InspectedPartition {
  cdm::Partition partition;
  int64_t bytes = -1;  // -1: the file does not exist
};

struct InspectedEntity {
  const cdm::Entity* entity = nullptr;  // owned by the catalog
  std::vector<InspectedPartition> partitions;
};

struct InspectReport {
  std::string lake;
  std::vector<InspectedEntity> entities;
  std::vector<cdm::Problem> problems;  // the catalog's, plus missing data files
  bool has_errors() const;
};

// Lists each entity's data files (expanding patterns) and checks that they exist.
InspectReport Inspect(const Catalog& catalog);

// The report as one JSON object (written directly, not through a JSON tree: a lake of thousands of entities
// makes a report of megabytes):
// {"lake": root, "entities": [{name, schema, manifest, document, readable, partition_count,
//   partitions: [{location, format, pattern, arguments, bytes}], columns: [{name, cdm_type, data_format, sql_type,
//   nullable, primary_key, maximum_length, precision, scale, enum_values: [{value, symbol, label}]}]}],
//  "problems": [{severity, file, line, entity, message}]}
std::string InspectJson(const InspectReport& report);

}  // namespace cdmlake::lake
