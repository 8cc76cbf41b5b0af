#include "lake/inspect.h"

#include "cdm/partition_listing.h"

namespace cdmlake::lake {

namespace {

const char* FormatName(cdm::FileFormat f) { return f == cdm::FileFormat::kParquet ? "parquet" : "csv"; }

nlohmann::ordered_json ProblemJson(const cdm::Problem& p) {
  return {{"severity", p.severity == cdm::Severity::kError ? "error" : "warning"},
          {"file", p.file},
          {"line", p.line},
          {"entity", p.entity},
          {"message", p.message}};
}

nlohmann::ordered_json ColumnJson(const cdm::Attribute& a) {
  nlohmann::ordered_json enums = nlohmann::ordered_json::array();
  for (const auto& v : a.enum_values) enums.push_back({{"value", v.value}, {"symbol", v.symbol}, {"label", v.label}});
  return {{"name", a.name},
          {"cdm_type", a.declared_type},
          {"data_format", cdm::DataFormatName(a.format)},
          {"sql_type", a.SqlType()},
          {"nullable", a.nullable},
          {"primary_key", a.primary_key},
          {"maximum_length", a.maximum_length},
          {"precision", a.precision},
          {"scale", a.scale},
          {"enum_values", enums}};
}

}  // namespace

nlohmann::ordered_json InspectReport(const Catalog& catalog) {
  nlohmann::ordered_json entities = nlohmann::ordered_json::array();
  std::vector<cdm::Problem> problems = catalog.problems();
  cdm::LocationResolver resolver = catalog.resolver();
  for (const cdm::Entity* e : catalog.entities()) {
    std::vector<cdm::Partition> partitions = cdm::ListPartitions(resolver, *e, &problems);
    nlohmann::ordered_json parts = nlohmann::ordered_json::array();
    for (const auto& p : partitions) {
      auto info = catalog.fs().Stat(resolver.Absolute(p.location));
      if (!info || info->is_directory) {
        problems.push_back(cdm::Problem{cdm::Severity::kError, e->manifest, 0, e->name,
                                        "the data file " + p.location + " does not exist"});
      }
      nlohmann::ordered_json args = nlohmann::ordered_json::object();
      for (const auto& [k, v] : p.arguments) args[k] = v;
      parts.push_back({{"location", p.location},
                       {"format", FormatName(p.format)},
                       {"pattern", p.pattern},
                       {"arguments", args},
                       {"bytes", info ? static_cast<int64_t>(info->size) : -1}});
    }
    nlohmann::ordered_json columns = nlohmann::ordered_json::array();
    for (const auto& a : e->attributes) columns.push_back(ColumnJson(a));
    entities.push_back({{"name", e->name},
                        {"schema", e->schema},
                        {"manifest", e->manifest},
                        {"document", e->document},
                        {"readable", e->readable},
                        {"partition_count", partitions.size()},
                        {"partitions", parts},
                        {"columns", columns}});
  }
  nlohmann::ordered_json problem_list = nlohmann::ordered_json::array();
  for (const auto& p : problems) problem_list.push_back(ProblemJson(p));
  return {{"lake", catalog.lake_root()}, {"entities", entities}, {"problems", problem_list}};
}

}  // namespace cdmlake::lake
