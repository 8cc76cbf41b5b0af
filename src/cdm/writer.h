// Writing CDM metadata: manifests, resolved entity documents and model.json, in the profile that the widest set
// of readers accepts (Synapse, Spark's spark-cdm-connector, Power BI, Customer Insights, cdmlake itself):
// imports limited to cdm:/foundations.cdm.json, explicit dataPartitions with relative locations, dataFormat plus
// maximumLength, numeric.shaped precision and scale, isNullable and isPrimaryKey on every attribute, and the CSV
// settings as is.partition.format.CSV arguments. Pure functions returning the document text; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "cdm/model.h"

namespace cdmlake::cdm {

// One entity of a CDM folder as written: its attributes, where its resolved document is, and its data files.
struct EntityOutput {
  Entity entity;                              // name, description, attributes
  std::string document;                       // the entity document, relative to the manifest's folder
  FileFormat format = FileFormat::kCsv;
  CsvFormat csv;                              // when format is CSV
  std::vector<std::string> partitions;        // data files, relative to the manifest's folder
};

// <name>.manifest.cdm.json listing the entities with explicit partitions.
std::string ManifestDocument(const std::string& manifest_name, const std::vector<EntityOutput>& entities);
// The resolved <Entity>.cdm.json for one entity.
std::string EntityDocument(const Entity& entity);
// model.json for Power BI, ADF and Customer Insights. Partition locations are location_base + the relative path
// (percent-encoded) when location_base is given (e.g. "https://account.dfs.core.windows.net/container/folder/"),
// else relative paths, which cdmlake reads but Power BI does not.
std::string ModelJsonDocument(const std::string& name, const std::vector<EntityOutput>& entities,
                              const std::string& location_base);

// Percent-encodes the characters of a relative path that are not safe in a URL path (space, %, #, ? ...).
std::string PercentEncodePath(const std::string& path);

}  // namespace cdmlake::cdm
