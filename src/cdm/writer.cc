#include "cdm/writer.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace cdmlake::cdm {

namespace {

using Json = nlohmann::ordered_json;

Json Argument(const std::string& name, const std::string& value) { return Json{{"name", name}, {"value", value}}; }

Json CsvTrait(const CsvFormat& csv) {
  Json args = Json::array();
  args.push_back(Argument("columnHeaders", csv.header ? "true" : "false"));
  args.push_back(Argument("delimiter", csv.delimiter));
  args.push_back(Argument("quote", csv.quote));
  args.push_back(Argument("escape", csv.escape));
  args.push_back(Argument("encoding", csv.encoding));
  args.push_back(Argument("newline", csv.newline.empty() ? "\n" : csv.newline));
  return Json{{"traitReference", "is.partition.format.CSV"}, {"arguments", args}};
}

Json FormatTrait(const EntityOutput& e) {
  if (e.format == FileFormat::kParquet) return Json{{"traitReference", "is.partition.format.parquet"}};
  return CsvTrait(e.csv);
}

Json AttributeJson(const Attribute& a) {
  Json j{{"name", a.name}, {"dataFormat", DataFormatName(a.format)}};
  if (a.maximum_length >= 0) j["maximumLength"] = a.maximum_length;
  j["isNullable"] = a.nullable;
  if (a.primary_key) {
    j["isPrimaryKey"] = true;
    j["purpose"] = "identifiedBy";
  }
  if (!a.description.empty()) j["description"] = a.description;
  Json traits = Json::array();
  if (a.format == DataFormat::kDecimal) {
    int precision = a.precision > 0 ? a.precision : kDefaultDecimalPrecision;
    int scale = a.scale >= 0 ? a.scale : kDefaultDecimalScale;
    traits.push_back(Json{{"traitReference", "is.dataFormat.numeric.shaped"},
                          {"arguments", Json::array({Argument("precision", std::to_string(precision)),
                                                     Argument("scale", std::to_string(scale))})}});
  }
  if (!a.enum_values.empty()) {
    Json rows = Json::array();
    for (const EnumValue& v : a.enum_values) {
      rows.push_back(Json::array({"en-US", v.label, v.symbol, std::to_string(v.value)}));
    }
    traits.push_back(Json{{"traitReference", "is.constrainedList.wellKnown"},
                          {"arguments", Json::array({Json{{"name", "defaultList"},
                                                          {"value", Json{{"entityReference",
                                                                          Json{{"entityShape", "localizedConstantValues"},
                                                                               {"constantValues", rows}}}}}}})}});
  }
  if (!traits.empty()) j["appliedTraits"] = traits;
  return j;
}

std::string Dump(const Json& j) { return j.dump(2) + "\n"; }

std::string PartitionName(const std::string& location) {
  size_t slash = location.rfind('/');
  std::string file = slash == std::string::npos ? location : location.substr(slash + 1);
  size_t dot = file.find('.');
  return dot == std::string::npos ? file : file.substr(0, dot);
}

}  // namespace

std::string PercentEncodePath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '-' ||
                c == '_' || c == '.' || c == '~';
    if (safe) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string ManifestDocument(const std::string& manifest_name, const std::vector<EntityOutput>& entities) {
  Json list = Json::array();
  for (const EntityOutput& e : entities) {
    Json partitions = Json::array();
    for (const std::string& p : e.partitions) {
      partitions.push_back(Json{{"name", PartitionName(p)}, {"location", p}, {"exhibitsTraits", Json::array({FormatTrait(e)})}});
    }
    Json decl{{"type", "LocalEntity"},
              {"entityName", e.entity.name},
              {"entityPath", e.document + "/" + e.entity.name}};
    if (!e.entity.description.empty()) decl["explanation"] = e.entity.description;
    decl["dataPartitions"] = partitions;
    list.push_back(decl);
  }
  Json manifest{{"jsonSchemaSemanticVersion", "1.0.0"},
                {"imports", Json::array({Json{{"corpusPath", "cdm:/foundations.cdm.json"}}})},
                {"manifestName", manifest_name},
                {"explanation", "Written by cdmlake"},
                {"entities", list},
                {"subManifests", Json::array()}};
  return Dump(manifest);
}

std::string EntityDocument(const Entity& entity) {
  Json attributes = Json::array();
  for (const Attribute& a : entity.attributes) attributes.push_back(AttributeJson(a));
  Json definition{{"entityName", entity.name},
                  {"exhibitsTraits", Json::array({Json{{"traitReference", "has.entitySchemaAbstractionLevel"},
                                                       {"arguments", Json::array({Argument("level", "resolved")})}}})}};
  if (!entity.description.empty()) definition["description"] = entity.description;
  definition["hasAttributes"] = attributes;
  Json doc{{"jsonSchemaSemanticVersion", "1.0.0"},
           {"imports", Json::array({Json{{"corpusPath", "cdm:/foundations.cdm.json"}}})},
           {"definitions", Json::array({definition})}};
  return Dump(doc);
}

std::string ModelJsonDocument(const std::string& name, const std::vector<EntityOutput>& entities,
                              const std::string& location_base) {
  Json list = Json::array();
  for (const EntityOutput& e : entities) {
    Json attributes = Json::array();
    for (const Attribute& a : e.entity.attributes) {
      Json attr{{"name", a.name}, {"dataType", ModelJsonTypeName(a.format)}};
      if (a.format == DataFormat::kDecimal) {
        attr["cdm:traits"] = Json::array(
            {Json{{"traitReference", "is.dataFormat.numeric.shaped"},
                  {"arguments", Json::array({Argument("precision", std::to_string(a.precision > 0 ? a.precision : kDefaultDecimalPrecision)),
                                             Argument("scale", std::to_string(a.scale >= 0 ? a.scale : kDefaultDecimalScale))})}}});
      }
      attributes.push_back(attr);
    }
    Json partitions = Json::array();
    for (const std::string& p : e.partitions) {
      std::string location = location_base.empty() ? p : location_base + PercentEncodePath(p);
      Json part{{"name", PartitionName(p)}, {"location", location}};
      if (e.format == FileFormat::kCsv) {
        part["fileFormatSettings"] = Json{{"$type", "CsvFormatSettings"},
                                          {"columnHeaders", e.csv.header},
                                          {"delimiter", e.csv.delimiter},
                                          {"quoteStyle", "QuoteStyle.Csv"},
                                          {"csvStyle", "CsvStyle.QuoteAlways"},
                                          {"encoding", e.csv.encoding}};
      } else {
        part["cdm:traits"] = Json::array({Json{{"traitReference", "is.partition.format.parquet"}}});
      }
      partitions.push_back(part);
    }
    list.push_back(Json{{"$type", "LocalEntity"}, {"name", e.entity.name}, {"attributes", attributes},
                        {"partitions", partitions}});
  }
  return Dump(Json{{"name", name}, {"version", "1.0"}, {"entities", list}});
}

}  // namespace cdmlake::cdm
