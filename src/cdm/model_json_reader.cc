#include "cdm/model_json_reader.h"

#include "cdm/document_loader.h"
#include "cdm/entity_document.h"
#include "cdm/partition_format.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::cdm {

namespace {

void ReadAttributes(const JsonDocument& doc, const nlohmann::json& entity_json, Entity* entity,
                    std::vector<Problem>* problems) {
  const nlohmann::json* attributes = Member(entity_json, "attributes");
  if (!attributes || !attributes->is_array() || attributes->empty()) {
    problems->push_back(Problem{Severity::kError, doc.path, doc.LineOfName(entity->name), entity->name,
                                "the entity has no attributes"});
    entity->readable = false;
    return;
  }
  for (const auto& a : *attributes) {
    Attribute attr;
    attr.name = StringMember(a, "name");
    if (attr.name.empty()) {
      problems->push_back(Problem{Severity::kError, doc.path, doc.LineOfName(entity->name), entity->name,
                                  "an attribute has no name"});
      entity->readable = false;
      continue;
    }
    attr.declared_type = StringMember(a, "dataType");
    auto format = ParseDataTypeName(attr.declared_type);
    if (!format) {
      problems->push_back(Problem{Severity::kError, doc.path, doc.LineOfName(attr.name), entity->name,
                                  "attribute " + attr.name + " has the unknown data type '" + attr.declared_type +
                                      "' (model.json allows string, int64, double, date, time, dateTime, "
                                      "dateTimeOffset, decimal, boolean, guid, json, unclassified)"});
      entity->readable = false;
      continue;
    }
    attr.format = *format;
    if (const nlohmann::json* traits = Member(a, "cdm:traits")) ApplyAttributeTraits(ParseTraits(*traits), &attr);
    // Synapse Link writes a non-standard maxLength (-1: unbounded).
    if (const nlohmann::json* ml = Member(a, "maxLength"); ml && ml->is_number_integer() && ml->get<int64_t>() > 0) {
      attr.maximum_length = ml->get<int64_t>();
    }
    attr.description = StringMember(a, "description");
    entity->attributes.push_back(std::move(attr));
  }
}

void ReadPartitions(const LocationResolver& resolver, const JsonDocument& doc, const nlohmann::json& entity_json,
                    Entity* entity, std::vector<Problem>* problems) {
  const nlohmann::json* partitions = Member(entity_json, "partitions");
  if (!partitions || !partitions->is_array()) return;
  for (const auto& p : *partitions) {
    std::string location = StringMember(p, "location");
    auto line = [&] { return doc.LineOfName(location.empty() ? entity->name : location); };
    ResolvedLocation where = resolver.Resolve(doc.path, location);
    if (!where.ok) {
      problems->push_back(Problem{Severity::kError, doc.path, line(), entity->name, "partition " + where.error});
      entity->readable = false;
      continue;
    }
    PartitionFormat format = FormatFromModelJsonPartition(p, where.path);
    for (const auto& e : format.errors) {
      problems->push_back(Problem{Severity::kError, doc.path, line(), entity->name, "partition " + location + ": " + e});
      entity->readable = false;
    }
    entity->partitions.push_back(Partition{StringMember(p, "name"), where.path, format.format, format.csv, {}, ""});
  }
}

}  // namespace

RootDocument ReadModelJson(const LocationResolver& resolver, const std::string& path) {
  RootDocument root;
  root.path = path;
  DocumentLoader loader(resolver, &root);
  const JsonDocument* doc = loader.Load(path);
  if (!doc) {
    root.failed = true;
    return root;
  }
  root.name = StringMember(doc->json, "name");
  if (root.name.empty()) root.name = BaseName(DirName(path));
  const nlohmann::json* entities = Member(doc->json, "entities");
  if (!entities || !entities->is_array()) {
    root.problems.push_back(Problem{Severity::kError, path, 0, "", "model.json has no \"entities\" list"});
    root.failed = true;
    return root;
  }
  for (const auto& e : *entities) {
    Entity entity;
    entity.name = StringMember(e, "name");
    entity.manifest = path;
    entity.description = StringMember(e, "description");
    if (entity.name.empty()) {
      root.problems.push_back(Problem{Severity::kError, path, 0, "", "an entity has no name"});
      continue;
    }
    std::string type = StringMember(e, "$type");
    if (EqualsIgnoreCase(type, "ReferenceEntity")) {
      root.problems.push_back(Problem{Severity::kWarning, path, doc->LineOfName(entity.name), entity.name,
                                      "reference entities point into another model and are not read"});
      continue;
    }
    ReadAttributes(*doc, e, &entity, &root.problems);
    ReadPartitions(resolver, *doc, e, &entity, &root.problems);
    root.entities.push_back(std::move(entity));
  }
  return root;
}

}  // namespace cdmlake::cdm
