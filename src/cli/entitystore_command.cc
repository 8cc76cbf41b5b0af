// `cdmlake entitystore`: import aggregate measurements (EMEX packages or AOT XML), list them, print their DDL,
// process them into the lake and query them.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "cli/result_printer.h"
#include "engine/quote.h"
#include "entitystore/aot_xml_reader.h"
#include "entitystore/cube_query.h"
#include "entitystore/rollup.h"
#include "entitystore/esyn_ddl.h"
#include "entitystore/import.h"
#include "entitystore/measurement_store.h"
#include "entitystore/processor.h"
#include "entitystore/source_views.h"
#include "entitystore/star_schema.h"
#include "entitystore/star_sql.h"
#include "lake/catalog.h"
#include "lake/session.h"
#include "tsql/translator.h"
#include "util/error.h"
#include "util/path.h"
#include "util/progress.h"
#include "util/strings.h"

namespace cdmlake::cli {

namespace {

using entitystore::Dialect;
using entitystore::MeasurementStore;
using entitystore::StoredMeasurement;

struct EntityStoreOptions {
  std::string path;
  std::string measurement;
  std::string date_table;
  std::string format = "table";
  std::string dialect = "duckdb";
  std::string compat = "none";
  std::string output_format = "parquet";
  bool incremental = false;
  int partitions = 1;
  std::vector<std::string> measures;
  std::vector<std::string> by;
  std::string where;
  bool explain = false;
};

std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    for (const auto& part : Split(v, ',')) {
      std::string_view trimmed = Trim(part);
      if (!trimmed.empty()) out.emplace_back(trimmed);
    }
  }
  return out;
}

// The star schema without looking at the lake (system columns are assumed to exist).
entitystore::StarSchema OfflineSchema(const StoredMeasurement& stored) {
  entitystore::StarOptions options;
  options.date_table = stored.date_table;
  return entitystore::BuildStarSchema(stored.package, options);
}

void Import(const GlobalOptions& global, const EntityStoreOptions& options) {
  StoredMeasurement stored;
  stored.package = entitystore::ImportMetadata(AbsolutePath(options.path), options.measurement);
  stored.date_table = options.date_table;
  entitystore::StarSchema schema = OfflineSchema(stored);  // fails here on metadata that gives no star schema
  MeasurementStore(*DefaultFileSystem(), global.LakeRoot()).Save(stored);
  for (const auto& w : stored.package.warnings) Warn(global, w);
  for (const auto& w : schema.warnings) Warn(global, w);
  const auto& m = stored.package.measurement;
  if (global.quiet) return;
  size_t measures = 0;
  for (const auto& g : m.measure_groups) measures += g.measures.size();
  std::printf("imported measurement %s (%zu measure groups, %zu measures, %zu dimension tables, %zu D365 views)\n",
              m.name.c_str(), m.measure_groups.size(), measures, schema.dimensions.size(),
              stored.package.view_definitions.size());
}

nlohmann::ordered_json MeasurementJson(const StoredMeasurement& stored) {
  const auto& m = stored.package.measurement;
  entitystore::StarSchema schema = OfflineSchema(stored);
  nlohmann::ordered_json j;
  j["name"] = m.name;
  j["label"] = m.label;
  j["origin"] = stored.package.origin;
  j["measure_groups"] = nlohmann::ordered_json::array();
  for (const auto& g : m.measure_groups) {
    nlohmann::ordered_json group;
    group["name"] = g.name;
    group["table"] = g.table;
    group["measures"] = nlohmann::ordered_json::array();
    for (const auto& measure : g.measures) {
      group["measures"].push_back({{"name", measure.name.value_or("")},
                                   {"field", measure.field.value_or("")},
                                   {"aggregate", entitystore::AggregateName(measure.aggregate)}});
    }
    group["dimensions"] = nlohmann::ordered_json::array();
    for (const auto& d : g.dimensions) {
      nlohmann::ordered_json fields = nlohmann::ordered_json::array();
      for (const auto& r : d.relations) {
        for (const auto& c : r.constraints) fields.push_back(c.related_field);
      }
      group["dimensions"].push_back({{"name", d.name}, {"dimension", d.dimension_name}, {"fields", fields}});
    }
    j["measure_groups"].push_back(group);
  }
  j["dimensions"] = nlohmann::ordered_json::array();
  for (const auto& d : schema.dimensions) {
    const char* kind = d.kind == entitystore::DimensionKind::kCalendar    ? "generated calendar"
                       : d.kind == entitystore::DimensionKind::kLakeTable ? "lake table"
                                                                           : "metadata";
    j["dimensions"].push_back({{"table", d.name},
                               {"reference", d.reference},
                               {"dimension", d.dimension_name},
                               {"source", d.source},
                               {"kind", kind},
                               {"attributes", d.attributes}});
  }
  return j;
}

void List(const GlobalOptions& global, const EntityStoreOptions& options) {
  MeasurementStore store(*DefaultFileSystem(), global.LakeRoot());
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const auto& name : store.Names()) all.push_back(MeasurementJson(store.Load(name)));
  if (options.format == "json") {
    std::printf("%s\n", all.dump(2).c_str());
    return;
  }
  if (all.empty()) std::printf("(no measurement imported; use `cdmlake entitystore import PACKAGE`)\n");
  for (const auto& m : all) {
    std::printf("%s\n", m["name"].get<std::string>().c_str());
    for (const auto& g : m["measure_groups"]) {
      std::printf("  measure group %s (from %s)\n", g["name"].get<std::string>().c_str(),
                  g["table"].get<std::string>().c_str());
      for (const auto& measure : g["measures"]) {
        std::string field = measure["field"].get<std::string>();
        std::printf("    measure %-28s %-18s %s\n", measure["name"].get<std::string>().c_str(),
                    measure["aggregate"].get<std::string>().c_str(), field.empty() ? "(rows)" : field.c_str());
      }
      for (const auto& d : g["dimensions"]) {
        std::printf("    dimension %-26s -> %s\n", d["name"].get<std::string>().c_str(),
                    d["dimension"].get<std::string>().c_str());
      }
    }
    for (const auto& d : m["dimensions"]) {
      std::printf("  dimension table %-30s %s%s\n", d["table"].get<std::string>().c_str(),
                  d["kind"].get<std::string>().c_str(),
                  d["source"].get<std::string>().empty() ? ""
                                                         : (" over " + d["source"].get<std::string>()).c_str());
    }
  }
}

void PrintStatement(const std::string& sql) { std::printf("%s;\n\n", sql.c_str()); }

// A view definition for Synapse: EMEX's rewrites and `[dbo].` handling as ESYN applies them.
void Ddl(const GlobalOptions& global, const EntityStoreOptions& options) {
  StoredMeasurement stored = MeasurementStore(*DefaultFileSystem(), global.LakeRoot()).Load(options.measurement);
  Dialect dialect = options.dialect == "synapse" ? Dialect::kSynapse : Dialect::kDuckDb;
  if (options.compat == "esyn") {
    entitystore::MetadataPackage package = stored.package;
    if (entitystore::AddStandardDateDimension(&package)) {
      Warn(global, "the package has no metadata for the platform date dimension Date_; the statements use the "
                   "standard one (BIDATEDIMENSIONSVIEW keyed by DATEKEY), which must exist where they run");
    }
    entitystore::EsynDdl ddl = entitystore::BuildEsynDdl(package);
    for (const auto& w : ddl.warnings) Warn(global, w);
    for (const auto& s : ddl.statements) {
      if (dialect == Dialect::kSynapse) {
        PrintStatement(s.sql);
        continue;
      }
      tsql::Translation t = tsql::TranslateView(s.sql);
      if (!t.ok()) {
        std::string constructs;
        for (const auto& u : t.unsupported) constructs += (constructs.empty() ? "" : ", ") + u.construct;
        throw Error(ErrorKind::kData, "ESYN's statement for " + s.name + " cannot be translated: " + constructs,
                    Location{stored.package.origin, 0, s.name});
      }
      PrintStatement(entitystore::CreateView(Dialect::kDuckDb, s.name, t.query));
    }
    return;
  }
  entitystore::StarSchema schema = OfflineSchema(stored);
  for (const auto& w : schema.warnings) Warn(global, w);
  // Dependencies first, from the measurement's sources in metadata order: the same statements whichever form
  // (EMEX, AOT XML) the metadata came in.
  std::vector<entitystore::ViewDefinition> unique;
  std::set<std::string> seen;
  for (const auto& d : stored.package.view_definitions) {
    if (seen.insert(ToUpper(d.view_name)).second) unique.push_back(d);
  }
  std::vector<std::string> roots;
  for (const auto& g : stored.package.measurement.measure_groups) {
    roots.push_back(g.table);
    for (const auto& r : g.dimensions) {
      if (const auto* dim = stored.package.FindDimension(r.dimension_name)) roots.push_back(dim->table);
    }
  }
  for (const auto& d : entitystore::OrderViewDefinitions(unique, roots)) {
    std::string name = ToUpper(d.view_name);
    if (dialect == Dialect::kSynapse) {
      PrintStatement(entitystore::EsynD365ViewSql(d.definition));
      continue;
    }
    tsql::Translation t = tsql::TranslateView(d.definition);
    if (!t.ok()) {
      std::printf("-- %s cannot be translated:\n", d.view_name.c_str());
      for (const auto& u : t.unsupported) {
        std::printf("--   line %d: %s %s\n", u.line, u.construct.c_str(), u.message.c_str());
      }
      std::printf("\n");
      continue;
    }
    PrintStatement(entitystore::CreateView(Dialect::kDuckDb, name, t.query));
  }
  for (const auto& d : schema.dimensions) {
    PrintStatement(entitystore::CreateView(dialect, d.name, entitystore::DimensionSelect(d, schema, dialect)));
  }
  for (const auto& f : schema.facts) {
    PrintStatement(entitystore::CreateView(dialect, f.name, entitystore::FactSelect(f, dialect)));
  }
}

void Process(const GlobalOptions& global, const EntityStoreOptions& options) {
  StoredMeasurement stored = MeasurementStore(*DefaultFileSystem(), global.LakeRoot()).Load(options.measurement);
  lake::Catalog catalog = lake::Catalog::Open(*DefaultFileSystem(), global.LakeRoot(), {});
  engine::Database database(global.EngineSettings());
  entitystore::ProcessOptions process;
  process.format = options.output_format == "csv" ? cdm::FileFormat::kCsv : cdm::FileFormat::kParquet;
  process.incremental = options.incremental;
  process.partitions = options.partitions;
  process.date_table = stored.date_table;
  Progress progress("processing " + stored.package.measurement.name, 0);
  entitystore::ProcessReport report =
      entitystore::ProcessMeasurement(stored.package, catalog, database, process, &progress);
  progress.Finish();
  for (const auto& w : report.warnings) Warn(global, w);
  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["measurement"] = stored.package.measurement.name;
    j["manifest"] = report.manifest;
    j["full"] = report.full;
    j["reason"] = report.reason;
    j["changed_tables"] = report.changed_tables;
    j["rebuilt"] = report.rebuilt;
    j["kept"] = report.kept;
    j["updated"] = report.updated;
    j["fallbacks"] = report.fallbacks;
    j["rows"] = report.rows;
    j["rewritten_months"] = report.rewritten_months;
    j["recomputed_groups"] = report.recomputed_groups;
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  if (global.quiet) return;
  if (options.incremental && report.full) {
    std::printf("processing everything: %s\n", report.reason.c_str());
  }
  if (report.manifest.empty()) {
    std::printf("nothing changed since the last processing of %s\n", stored.package.measurement.name.c_str());
    return;
  }
  for (const auto& name : report.rebuilt) {
    std::printf("%-48s %12lld rows\n", name.c_str(), static_cast<long long>(report.rows[name]));
  }
  for (const auto& name : report.kept) std::printf("%-48s unchanged\n", name.c_str());
  for (const auto& name : report.updated) {
    auto months = report.rewritten_months.find(name);
    auto groups = report.recomputed_groups.find(name);
    std::printf("%s: updated from the changed rows only", name.c_str());
    if (months != report.rewritten_months.end()) std::printf(" (%zu months rewritten)", months->second.size());
    if (groups != report.recomputed_groups.end()) {
      std::printf(" (%lld groups recomputed)", static_cast<long long>(groups->second));
    }
    std::printf("\n");
  }
  for (const auto& why : report.fallbacks) std::printf("recomputed whole: %s\n", why.c_str());
  std::printf("committed %s\n", report.manifest.c_str());
}

void Query(const GlobalOptions& global, const EntityStoreOptions& options) {
  StoredMeasurement stored = MeasurementStore(*DefaultFileSystem(), global.LakeRoot()).Load(options.measurement);
  entitystore::StarSchema schema = OfflineSchema(stored);
  std::string document = entitystore::ProcessedManifestPath(stored.package.measurement.name);
  lake::Catalog catalog = lake::Catalog::OpenDocument(*DefaultFileSystem(), global.LakeRoot(), document);
  // The rollups as processed: their columns say which attributes they keep.
  std::map<std::string, entitystore::RollupDesign> rollups;
  for (const auto& fact : schema.facts) {
    if (const cdm::Entity* rollup = catalog.Find(entitystore::RollupEntityName(fact))) {
      std::vector<std::string> columns;
      for (const auto& attribute : rollup->attributes) columns.push_back(attribute.name);
      if (auto design = entitystore::RollupDesignFromColumns(fact, schema, columns)) rollups[fact.name] = *design;
    }
  }
  entitystore::CubeQuery query{SplitList(options.measures), SplitList(options.by), options.where};
  entitystore::CubePlan plan = entitystore::PlanCubeQuery(schema, query, rollups);
  if (options.explain) {
    std::string source = plan.from_rollup      ? "the rollup (set " + plan.rollup_set + ")"
                         : plan.from_aggregate ? std::string("the aggregate table")
                                               : std::string("the fact table");
    std::printf("-- answered from %s%s\n%s\n", source.c_str(), plan.reason.empty() ? "" : (": " + plan.reason).c_str(),
                plan.sql.c_str());
    return;
  }
  engine::Database database(global.EngineSettings());
  lake::LakeSession session(database, catalog, lake::OnError::kFail);
  for (const auto& entity : plan.entities) {
    const cdm::Entity* found = catalog.Find(entity);
    if (!found) {
      throw Error(ErrorKind::kUser, "the measurement has not been processed: " + entity + " is not in " + document,
                  Location{document, 0, entity},
                  "run `cdmlake entitystore process " + stored.package.measurement.name + "` first");
    }
    session.Attach(*found);
  }
  try {
    engine::Result result = session.connection().Run(plan.sql);
    PrintResult(result, ParseOutputFormat(options.format), stdout);
  } catch (const engine::EngineError& e) {
    throw session.Explain(e);
  }
}

}  // namespace

void RegisterEntityStoreCommands(CLI::App& app, GlobalOptions& global) {
  CLI::App* es = app.add_subcommand(
      "entitystore",
      "Dynamics 365 Entity Store: import aggregate measurements (an EMEX package, AOT XML or an .axpp), build their\n"
      "star schema over the lake, process it into <lake>/AggregateMeasurements/ as CDM, and query it.");
  es->require_subcommand(1);
  auto options = std::make_shared<EntityStoreOptions>();

  CLI::App* import = es->add_subcommand(
      "import",
      "Import a measurement's metadata into the lake's catalog (<lake>/_cdmlake/entitystore/). PATH is an EMEX\n"
      "package (.zip), a folder of AOT XML (AxAggregateMeasurement, AxAggregateDimension, AxView, AxTable, AxEnum...,\n"
      "with view SQL in ViewDefinitions/*.sql or dependencies.csv), or an .axpp. When the package lacks the platform\n"
      "date dimension Date_, cdmlake generates a calendar over the fact dates, or uses --date-table.");
  import->add_option("PATH", options->path, "EMEX zip, AOT XML folder or .axpp")->required();
  import->add_option("--measurement", options->measurement, "The measurement to import (AOT XML with several)");
  import->add_option("--date-table", options->date_table,
                     "A lake table keyed by DATEKEY to serve as the Date_ dimension (e.g. BIDateDimensionsView)");
  import->callback([options, &global] { Import(global, *options); });

  CLI::App* list = es->add_subcommand("list", "List imported measurements: measure groups, measures, dimensions.");
  list->add_option("--format", options->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  list->callback([options, &global] { List(global, *options); });

  CLI::App* ddl = es->add_subcommand(
      "ddl",
      "Print the CREATE VIEW statements of a measurement: the D365 views it needs, then one view per dimension\n"
      "reference (<M>_<Ref>) and per measure group (<M>_<MG>). --compat esyn prints exactly what ESYN (the\n"
      "FastTrack EntityStoreToSynapse tool) creates, its defects included; the default fixes them.");
  ddl->add_option("MEASUREMENT", options->measurement, "Measurement name")->required();
  ddl->add_option("--dialect", options->dialect, "duckdb or synapse")->check(CLI::IsMember({"duckdb", "synapse"}));
  ddl->add_option("--compat", options->compat, "none or esyn")->check(CLI::IsMember({"none", "esyn"}));
  ddl->callback([options, &global] { Ddl(global, *options); });

  CLI::App* process = es->add_subcommand(
      "process",
      "Materialize a measurement into <lake>/AggregateMeasurements/<M>.manifest.cdm.json: fact tables <M>_<MG>,\n"
      "dimension tables <M>_<Ref> and aggregate tables <M>_<MG>_AGG, committed atomically. Every missing source\n"
      "table and untranslatable view is reported before any work starts. --incremental rebuilds only the tables\n"
      "whose sources changed since the last processing.");
  process->add_option("MEASUREMENT", options->measurement, "Measurement name")->required();
  process->add_flag("--incremental", options->incremental, "Rebuild only what changed sources affect");
  process->add_option("--output-format", options->output_format, "parquet (default) or csv")
      ->check(CLI::IsMember({"parquet", "csv"}));
  process->add_option("--partitions", options->partitions, "Fact partitions of the processing plan")
      ->check(CLI::Range(1, 4096));
  process->add_option("--format", options->format, "Report: table or json")->check(CLI::IsMember({"table", "json"}));
  process->callback([options, &global] { Process(global, *options); });

  CLI::App* query = es->add_subcommand(
      "query",
      "Query a processed measurement: measures by dimension attributes, from the aggregate tables where they give\n"
      "the exact answer (sums, counts, min, max, averages) and from the fact table where they do not (distinct\n"
      "counts). Attributes are Reference.Attribute (e.g. ShippingDate.YEAR) or a measure group's own attribute.");
  query->add_option("MEASUREMENT", options->measurement, "Measurement name")->required();
  query->add_option("--measure", options->measures, "Measures, comma-separated")->required();
  query->add_option("--by", options->by, "Attributes to group by, comma-separated");
  query->add_option("--where", options->where, "A SQL condition over the same names");
  query->add_option("--format", options->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  query->add_flag("--explain", options->explain, "Print the SQL and whether the aggregate table answers it");
  query->callback([options, &global] { Query(global, *options); });
}

}  // namespace cdmlake::cli
