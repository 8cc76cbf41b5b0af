#include "cdm/model.h"

#include <nlohmann/json.hpp>

// Serialization of the model for the catalog cache (lake/catalog_cache.h). Field names are short and stable;
// a cache written by another version is detected by the cache's own version number, not here.
namespace cdmlake::cdm {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(EnumValue, value, symbol, label)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Attribute, name, format, declared_type, precision, scale, maximum_length, nullable,
                                   primary_key, description, enum_values)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CsvFormat, header, delimiter, quote, escape, encoding, newline, skip_lines)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Partition, name, location, format, csv, arguments, pattern)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PartitionPattern, name, root_location, glob, regex, parameters, format, csv)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Problem, severity, file, line, entity, message)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Entity, name, schema, manifest, document, description, attributes, partitions,
                                   patterns, d365_empty_dates, readable)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DocumentStamp, path, size, mtime_ns)

void to_json(nlohmann::json& j, const RootDocument& root) {
  j = nlohmann::json{{"path", root.path},         {"name", root.name},
                     {"entities", root.entities}, {"problems", root.problems},
                     {"documents", root.documents}, {"failed", root.failed}};
}

void from_json(const nlohmann::json& j, RootDocument& root) {
  j.at("path").get_to(root.path);
  j.at("name").get_to(root.name);
  j.at("entities").get_to(root.entities);
  j.at("problems").get_to(root.problems);
  j.at("documents").get_to(root.documents);
  j.at("failed").get_to(root.failed);
}

}  // namespace cdmlake::cdm
