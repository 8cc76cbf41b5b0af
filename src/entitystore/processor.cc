#include "entitystore/processor.h"

#include <algorithm>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/quote.h"
#include "entitystore/process_plan.h"
#include "entitystore/rollup.h"
#include "entitystore/source_views.h"
#include "entitystore/star_schema.h"
#include "entitystore/star_sql.h"
#include "lake/cdm_folder_writer.h"
#include "lake/discovery.h"
#include "lake/entity_files.h"
#include "lake/entity_sql.h"
#include "lake/session.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

constexpr int kStateVersion = 1;

std::string StateFile(const lake::Catalog& catalog, const std::string& measurement) {
  return JoinPath(catalog.lake_root(), std::string(lake::kStateFolder) + "/entitystore/" +
                                           SafeFileName(measurement) + "/process.json");
}

// A fingerprint of a lake table's data: its files' names, sizes and modification times, and the current state
// that `lake refresh` keeps for it. Any change of the data changes one of them.
std::string TableFingerprint(const lake::Catalog& catalog, const std::string& name) {
  const cdm::Entity* entity = catalog.Find(name);
  if (!entity) return "missing";
  std::vector<lake::EntityFile> files;
  lake::PrepareEntityFiles(catalog, *entity, &files);
  std::string text;
  for (const auto& f : files) {
    text += f.absolute + "\t" + std::to_string(f.info.size) + "\t" + std::to_string(f.info.mtime_ns) + "\n";
  }
  std::string state = JoinPath(catalog.lake_root(),
                               lake::RefreshStateFolder(entity->schema, entity->name) + "/state.json");
  if (auto info = catalog.fs().Stat(state)) {
    text += "state\t" + catalog.fs().ReadFile(state) + "\t" + std::to_string(info->mtime_ns) + "\n";
  }
  return std::to_string(std::hash<std::string>{}(text)) + "-" + std::to_string(text.size());
}

// Everything that decides the output apart from the data: the SQL of every entity, the format, the partitions.
std::string SchemaSignature(const StarSchema& schema, const ProcessOptions& options) {
  std::string text = options.format == cdm::FileFormat::kParquet ? "parquet\n" : "csv\n";
  text += std::to_string(options.partitions) + "\n";
  for (const auto& d : schema.dimensions) text += DimensionSelect(d, schema, Dialect::kDuckDb) + "\n";
  for (const auto& f : schema.facts) text += FactSelect(f, Dialect::kDuckDb) + "\n";
  return std::to_string(std::hash<std::string>{}(text));
}

std::vector<std::string> PackageRoots(const MetadataPackage& package, const ProcessOptions& options) {
  std::vector<std::string> roots;
  for (const auto& group : package.measurement.measure_groups) {
    roots.push_back(group.table);
    for (const auto& reference : group.dimensions) {
      if (const Dimension* d = package.FindDimension(reference.dimension_name)) roots.push_back(d->table);
    }
  }
  if (!options.date_table.empty()) roots.push_back(options.date_table);
  return roots;
}

// The lake tables each output entity reads.
std::map<std::string, std::vector<std::string>> EntitySources(const StarSchema& schema, const SourcePlan& plan) {
  std::map<std::string, std::vector<std::string>> out;
  std::set<std::string> calendar_tables;
  for (const auto& [source, field] : schema.calendar_fields) {
    for (const auto& t : plan.TablesUnder(source)) calendar_tables.insert(t);
  }
  for (const auto& d : schema.dimensions) {
    out[d.name] = d.kind == DimensionKind::kCalendar ? std::vector<std::string>(calendar_tables.begin(),
                                                                                 calendar_tables.end())
                                                      : plan.TablesUnder(d.source);
  }
  for (const auto& f : schema.facts) {
    out[f.name] = plan.TablesUnder(f.source);
    out[AggregateEntityName(f)] = out[f.name];
    // The rollup reads the aggregate and every dimension of the fact.
    std::set<std::string> rollup(out[f.name].begin(), out[f.name].end());
    for (const auto& d : f.dimensions) rollup.insert(out[d.dimension_table].begin(), out[d.dimension_table].end());
    out[RollupEntityName(f)] = std::vector<std::string>(rollup.begin(), rollup.end());
  }
  return out;
}

struct PreviousRun {
  bool found = false;
  std::string signature;
  std::map<std::string, std::string> tables;  // name -> fingerprint
  std::set<std::string> entities;
};

PreviousRun ReadPreviousRun(const lake::Catalog& catalog, const std::string& measurement) {
  PreviousRun run;
  std::string path = StateFile(catalog, measurement);
  if (!catalog.fs().Stat(path)) return run;
  try {
    nlohmann::json j = nlohmann::json::parse(catalog.fs().ReadFile(path));
    if (j.at("version").get<int>() != kStateVersion) return run;
    run.signature = j.at("signature").get<std::string>();
    for (const auto& [name, fingerprint] : j.at("tables").items()) run.tables[name] = fingerprint.get<std::string>();
    for (const auto& e : j.at("entities")) run.entities.insert(e.get<std::string>());
    run.found = true;
  } catch (const std::exception&) {
    // A damaged state only costs a full process.
  }
  return run;
}

void WriteRunState(const lake::Catalog& catalog, const std::string& measurement, const std::string& signature,
                   const std::map<std::string, std::string>& tables, const std::vector<std::string>& entities) {
  nlohmann::json j;
  j["version"] = kStateVersion;
  j["signature"] = signature;
  j["tables"] = tables;
  j["entities"] = entities;
  std::string path = StateFile(catalog, measurement);
  catalog.fs().CreateDirectories(DirName(path));
  catalog.fs().WriteFileAtomic(path, j.dump(2) + "\n");
}

void RunStep(lake::LakeSession& session, const PlanStep& step) {
  try {
    session.connection().Execute(step.sql);
  } catch (const engine::EngineError& e) {
    Error explained = session.Explain(e);
    throw Error(explained.kind(), "processing " + step.entity + " failed: " + explained.message(),
                explained.location().empty() ? Location{"", 0, step.entity} : explained.location(), explained.hint());
  }
}

// Makes an entity of the previous processing readable in the session (a rollup rebuilt after a dimension
// change reads the aggregate that this run keeps); returns the relation.
std::string PreviousOutput(lake::LakeSession& session, const lake::Catalog& catalog, const std::string& measurement,
                           const std::string& entity) {
  std::string document = ProcessedManifestPath(measurement);
  lake::Catalog previous = lake::Catalog::OpenDocument(catalog.fs(), catalog.lake_root(), document);
  const cdm::Entity* found = previous.Find(entity);
  if (!found) {
    throw Error(ErrorKind::kData, "the previous processing has no entity " + entity, Location{document, 0, entity},
                "process the measurement without --incremental");
  }
  std::vector<lake::EntityFile> files;
  std::vector<cdm::Partition> partitions = lake::PrepareEntityFiles(previous, *found, &files);
  std::string view = "__cdmlake_previous_" + entity;
  session.connection().Execute("CREATE OR REPLACE TEMP VIEW " + engine::QuoteIdentifier(view) + " AS " +
                               lake::BuildEntityScan(*found, partitions, catalog.lake_root(), {}).sql);
  return "temp." + engine::QuoteIdentifier(view);
}

// Distinct combinations of `columns` in `relation`, NULL counting as a value.
int64_t DistinctCombinations(engine::Connection& connection, const std::string& relation,
                             const std::vector<std::string>& columns) {
  std::vector<std::string> quoted;
  for (const auto& c : columns) quoted.push_back(engine::QuoteIdentifier(c));
  std::string sql = "SELECT count(DISTINCT row(" + Join(quoted, ", ") + ")) FROM " + relation;
  return std::stoll(connection.Query(sql).ScalarText());
}

struct RollupJob {
  const FactTable* fact = nullptr;
  std::string aggregate;                          // relation of the fact's aggregate
  std::map<std::string, std::string> dimensions;  // dimension table -> relation
};

// The rollups this run must rebuild: those asked for, and those whose aggregate or dimensions the plan rebuilds.
std::vector<RollupJob> PlanRollups(const StarSchema& schema, const ProcessPlan& plan,
                                   const std::set<std::string>& build, lake::LakeSession& session,
                                   const lake::Catalog& catalog) {
  std::map<std::string, std::string> planned;
  for (const auto& output : plan.outputs) planned[output.entity] = output.relation;
  auto relation = [&](const std::string& entity) {
    auto it = planned.find(entity);
    return it != planned.end() ? it->second : PreviousOutput(session, catalog, schema.measurement, entity);
  };
  std::vector<RollupJob> jobs;
  for (const FactTable& fact : schema.facts) {
    bool rebuild = build.count(RollupEntityName(fact)) || planned.count(AggregateEntityName(fact));
    for (const auto& d : fact.dimensions) rebuild = rebuild || planned.count(d.dimension_table);
    if (!rebuild) continue;
    RollupJob job{&fact, relation(AggregateEntityName(fact)), {}};
    for (const auto& d : fact.dimensions) job.dimensions[d.dimension_table] = relation(d.dimension_table);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

// Chooses the rollup's attributes from the data (rollup.h) and materializes it; returns the temp relation.
std::string BuildRollup(const RollupJob& job, const StarSchema& schema, lake::LakeSession& session) {
  engine::Connection& connection = session.connection();
  RollupDesign design;
  for (RollupMember& member : RollupCandidates(*job.fact, schema)) {
    const std::string& relation =
        member.dimension_table.empty() ? job.aggregate : job.dimensions.at(member.dimension_table);
    member.attributes = ChooseRollupAttributes(
        member.attributes,
        [&](const std::vector<std::string>& columns) { return DistinctCombinations(connection, relation, columns); },
        kRollupMemberBudget);
    if (!member.attributes.empty()) design.members.push_back(std::move(member));
  }
  std::string table = "__cdmlake_rollup_" + job.fact->name;
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + engine::QuoteIdentifier(table) + " AS " +
                     RollupSelect(*job.fact, design, job.aggregate, job.dimensions));
  return "temp." + engine::QuoteIdentifier(table);
}

}  // namespace

std::string ProcessedManifestPath(const std::string& measurement) {
  return std::string(kAggregateMeasurementsFolder) + "/" + SafeFileName(measurement) + ".manifest.cdm.json";
}

ProcessReport ProcessMeasurement(const MetadataPackage& package, const lake::Catalog& catalog,
                                 engine::Database& database, const ProcessOptions& options, Progress* progress) {
  if (options.partitions < 1) throw Error(ErrorKind::kUser, "--partitions must be at least 1");
  const std::string& measurement = package.measurement.name;
  SourcePlan sources(package, catalog, PackageRoots(package, options));
  lake::LakeSession session(database, catalog, lake::OnError::kFail);
  sources.CreateIn(session);

  StarOptions star_options;
  star_options.date_table = options.date_table;
  star_options.source_columns = [&session](const std::string& name) {
    return RelationColumns(session.connection(), name);
  };
  StarSchema schema = BuildStarSchema(package, star_options);

  ProcessReport report;
  report.warnings = schema.warnings;
  std::map<std::string, std::string> fingerprints;
  for (const auto& table : sources.tables()) fingerprints[table] = TableFingerprint(catalog, table);
  std::string signature = SchemaSignature(schema, options);
  std::map<std::string, std::vector<std::string>> entity_sources = EntitySources(schema, sources);

  std::set<std::string> build;
  for (const auto& [entity, tables] : entity_sources) build.insert(entity);
  std::string manifest = JoinPath(catalog.lake_root(), ProcessedManifestPath(measurement));
  if (options.incremental) {
    PreviousRun previous = ReadPreviousRun(catalog, measurement);
    if (!previous.found) {
      report.reason = "no previous processing was recorded";
    } else if (previous.signature != signature) {
      report.reason = "the measurement's metadata or the processing options changed";
    } else if (!catalog.fs().Stat(manifest)) {
      report.reason = "the processed manifest is missing";
    } else {
      report.full = false;
      for (const auto& [table, fingerprint] : fingerprints) {
        auto it = previous.tables.find(table);
        if (it == previous.tables.end() || it->second != fingerprint) report.changed_tables.push_back(table);
      }
      build.clear();
      for (const auto& [entity, tables] : entity_sources) {
        bool changed = !previous.entities.count(entity);
        for (const auto& t : tables) {
          changed = changed || std::find(report.changed_tables.begin(), report.changed_tables.end(), t) !=
                                   report.changed_tables.end();
        }
        if (changed) build.insert(entity);
      }
      if (build.empty()) return report;  // nothing changed: nothing is written
    }
  }

  ProcessPlan plan = BuildProcessPlan(schema, options.partitions, build);
  std::vector<RollupJob> rollups = PlanRollups(schema, plan, build, session, catalog);
  if (!report.full) {
    // The plan may build more than asked (a calendar rebuilds the facts it covers): kept is what it leaves out.
    std::set<std::string> planned;
    for (const auto& output : plan.outputs) planned.insert(output.entity);
    for (const auto& job : rollups) planned.insert(RollupEntityName(*job.fact));
    for (const auto& [entity, tables] : entity_sources) {
      if (!planned.count(entity)) report.kept.push_back(entity);
    }
  }
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    RunStep(session, plan.steps[i]);
    if (progress) progress->SetFraction(0.6 * static_cast<double>(i + 1) / static_cast<double>(plan.steps.size()));
  }
  for (const RollupJob& job : rollups) {
    std::string entity = RollupEntityName(*job.fact);
    try {
      plan.outputs.push_back({entity, BuildRollup(job, schema, session)});
    } catch (const engine::EngineError& e) {
      throw Error(ErrorKind::kInternal, "processing " + entity + " failed: " + e.what(), Location{"", 0, entity});
    }
  }

  lake::CdmFolderOptions folder;
  folder.manifest_name = SafeFileName(measurement);
  folder.format = options.format;
  lake::CdmFolderWriter writer(session.connection(), catalog.fs(),
                               JoinPath(catalog.lake_root(), kAggregateMeasurementsFolder), folder);
  for (const auto& output : plan.outputs) {
    writer.Add({output.entity, "SELECT * FROM " + output.relation, "cdmlake entitystore: " + measurement, {}});
  }
  lake::CommitResult commit;
  try {
    commit = writer.Commit();
  } catch (const engine::EngineError& e) {
    throw session.Explain(e);
  }
  if (progress) progress->SetFraction(1.0);
  report.manifest = commit.manifest;
  for (const auto& e : commit.entities) {
    report.rebuilt.push_back(e.name);
    report.rows[e.name] = e.rows;
  }
  std::vector<std::string> entities;
  for (const auto& [entity, tables] : entity_sources) entities.push_back(entity);
  WriteRunState(catalog, measurement, signature, fingerprints, entities);
  return report;
}

}  // namespace cdmlake::entitystore
