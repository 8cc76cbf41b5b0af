// The report behind `cdmlake lake inspect`: every entity with its schema, manifest, columns (CDM and SQL types)
// and data files, and every problem found, including data files that are missing or outside the lake. Kept here
// rather than in the command line so tests can check it directly. Thread-compatible.
#pragma once

#include <nlohmann/json.hpp>

#include "lake/catalog.h"

namespace cdmlake::lake {

// {"lake": root, "entities": [{name, schema, manifest, document, readable, partition_count,
//   partitions: [{location, format, pattern, arguments}], columns: [{name, cdm_type, data_format, sql_type,
//   nullable, primary_key, maximum_length, precision, scale, enum_values}]}],
//  "problems": [{severity, file, line, entity, message}]}
// Lists each entity's data files (expanding patterns) and checks that they exist.
nlohmann::ordered_json InspectReport(const Catalog& catalog);

}  // namespace cdmlake::lake
