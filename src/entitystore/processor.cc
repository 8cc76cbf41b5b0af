#include "entitystore/processor.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/quote.h"
#include "entitystore/incremental_fact.h"
#include "entitystore/process_plan.h"
#include "entitystore/rollup.h"
#include "entitystore/rollup_base_store.h"
#include "entitystore/source_delta.h"
#include "entitystore/source_views.h"
#include "entitystore/star_schema.h"
#include "entitystore/star_sql.h"
#include "lake/cdm_folder_writer.h"
#include "lake/discovery.h"
#include "lake/entity_files.h"
#include "lake/entity_sql.h"
#include "lake/refresh_io.h"
#include "lake/session.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {


constexpr int kStateVersion = 2;

std::string StateFolder(const lake::Catalog& catalog, const std::string& measurement) {
  return JoinPath(catalog.lake_root(), std::string(lake::kStateFolder) + "/entitystore/" + SafeFileName(measurement));
}

std::string StateFile(const lake::Catalog& catalog, const std::string& measurement) {
  return JoinPath(StateFolder(catalog, measurement), "process.json");
}

std::string SnapshotFolder(const lake::Catalog& catalog, const std::string& measurement) {
  return JoinPath(StateFolder(catalog, measurement), "snapshots");
}

// Where the rollups' bases are kept (rollup.h): the next incremental run updates them.
std::string RollupBaseFolder(const lake::Catalog& catalog, const std::string& measurement) {
  return JoinPath(StateFolder(catalog, measurement), "rollups");
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
  text += "facts by month\n";  // the output layout: a state of an older layout makes a full process
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
  std::map<std::string, SourceSnapshot> snapshots;  // refreshed table -> what was read of it
  std::map<std::string, DateRange> fact_dates;      // fact -> date range of its calendar keys
  std::map<std::string, std::string> outputs;    // entity -> fingerprint of its files in the committed manifest
  std::map<std::string, std::string> rollup_bases;  // fact -> its rollup's base (rollup.h), lake-relative Parquet
};

nlohmann::json OptionalText(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

std::optional<std::string> TextOrNull(const nlohmann::json& j) {
  return j.is_null() ? std::nullopt : std::optional<std::string>(j.get<std::string>());
}

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
    for (const auto& [table, snapshot] : j.at("snapshots").items()) {
      run.snapshots[table] = {snapshot.at("file").get<std::string>(), snapshot.at("log").get<std::string>(),
                              snapshot.at("generation").get<int64_t>()};
    }
    for (const auto& [fact, range] : j.at("fact_dates").items()) {
      run.fact_dates[fact] = {TextOrNull(range.at(0)), TextOrNull(range.at(1))};
    }
    for (const auto& [entity, files] : j.at("outputs").items()) run.outputs[entity] = files.get<std::string>();
    if (j.contains("rollup_bases")) {  // absent in states written before the bases were kept
      for (const auto& [fact, file] : j.at("rollup_bases").items()) run.rollup_bases[fact] = file.get<std::string>();
    }
    run.found = true;
  } catch (const std::exception&) {
    // A damaged state only costs a full process.
  }
  return run;
}

struct RunState {
  std::string signature;
  std::map<std::string, std::string> tables;
  std::vector<std::string> entities;
  std::map<std::string, SourceSnapshot> snapshots;
  std::map<std::string, DateRange> fact_dates;
  std::map<std::string, std::string> outputs;
  std::map<std::string, std::string> rollup_bases;
};

void WriteRunState(const lake::Catalog& catalog, const std::string& measurement, const RunState& state) {
  nlohmann::json j;
  j["version"] = kStateVersion;
  j["signature"] = state.signature;
  j["tables"] = state.tables;
  j["entities"] = state.entities;
  j["snapshots"] = nlohmann::json::object();
  for (const auto& [table, snapshot] : state.snapshots) {
    j["snapshots"][table] = {{"file", snapshot.file}, {"log", snapshot.log}, {"generation", snapshot.generation}};
  }
  j["fact_dates"] = nlohmann::json::object();
  for (const auto& [fact, range] : state.fact_dates) {
    j["fact_dates"][fact] = nlohmann::json::array({OptionalText(range.first), OptionalText(range.second)});
  }
  j["outputs"] = state.outputs;
  j["rollup_bases"] = state.rollup_bases;
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

// An entity of the previous processing with its files (lake-relative) and each file's partition value.
struct PreviousEntity {
  cdm::Entity entity;
  std::vector<cdm::Partition> files;
  std::vector<std::string> values;  // per file: its month folder, "" for a file written without partitions
};

// The partition folder of a processed file ("AggregateMeasurements/<Entity>/_vN/<value>/<file>" -> value), or ""
// for a file written without partitions.
std::string PartitionOf(const std::string& location, const std::string& entity) {
  std::vector<std::string> parts = Split(location, '/');
  if (parts.size() < 4 || parts[parts.size() - 4] != entity || parts[parts.size() - 3].rfind("_v", 0) != 0) return "";
  return parts[parts.size() - 2];
}

// Throws Error(kData) naming the manifest when the previous processing has no such entity or a file is missing.
PreviousEntity ReadPreviousEntity(const lake::Catalog& catalog, const std::string& measurement,
                                  const std::string& entity) {
  const std::string document = ProcessedManifestPath(measurement);
  lake::Catalog previous = lake::Catalog::OpenDocument(catalog.fs(), catalog.lake_root(), document);
  const cdm::Entity* found = previous.Find(entity);
  if (!found) {
    throw Error(ErrorKind::kData, "the previous processing has no entity " + entity, Location{document, 0, entity},
                "process the measurement without --incremental");
  }
  PreviousEntity out{*found, lake::PrepareEntityFiles(previous, *found, nullptr), {}};
  for (const cdm::Partition& p : out.files) out.values.push_back(PartitionOf(p.location, entity));
  return out;
}

// Makes the rows of an entity of the previous processing readable in the session: every row, or with `values`
// the rows in those partitions (others = false) or in every other partition (others = true); returns the
// relation. (A rollup rebuilt after a dimension change reads the aggregate that this run keeps; a fact update
// reads the months it rewrites, previous.rows of incremental_fact.h.)
std::string PreviousRows(lake::LakeSession& session, const lake::Catalog& catalog, const std::string& measurement,
                         const std::string& entity, const std::vector<std::string>& values = {}, bool others = true) {
  PreviousEntity previous = ReadPreviousEntity(catalog, measurement, entity);
  std::vector<cdm::Partition> chosen;
  for (size_t i = 0; i < previous.files.size(); ++i) {
    const bool listed = std::find(values.begin(), values.end(), previous.values[i]) != values.end();
    if (listed != others) chosen.push_back(previous.files[i]);
  }
  // One name per selection: a view is bound by name when read, so replacing one would change what reads it.
  static std::atomic<int> serial{0};
  const std::string view = "__cdmlake_previous_" + entity + (values.empty() && others ? "" : "_" + std::to_string(++serial));
  session.connection().Execute("CREATE OR REPLACE TEMP VIEW " + engine::QuoteIdentifier(view) + " AS " +
                               lake::BuildEntityScan(previous.entity, chosen, catalog.lake_root(), {}).sql);
  return "temp." + engine::QuoteIdentifier(view);
}

// Why the previous output of a fact or aggregate cannot be updated by month ("" when it can): each of its files
// must lie in a month folder.
std::string UnpartitionedOutput(const lake::Catalog& catalog, const std::string& measurement,
                                const std::string& entity) {
  PreviousEntity previous = ReadPreviousEntity(catalog, measurement, entity);
  for (size_t i = 0; i < previous.files.size(); ++i) {
    if (previous.values[i].empty()) {
      return "the processed " + entity + " is not written by month (" + previous.files[i].location + ")";
    }
  }
  return "";
}

// The files of the previous processing's `entity` outside the partitions `values`, relative to the
// measurement's folder (what the writer carries over).
std::vector<std::string> CarriedFiles(const lake::Catalog& catalog, const std::string& measurement,
                                      const std::string& entity, const std::vector<std::string>& values) {
  PreviousEntity previous = ReadPreviousEntity(catalog, measurement, entity);
  const std::string prefix = std::string(kAggregateMeasurementsFolder) + "/";
  std::vector<std::string> carried;
  for (size_t i = 0; i < previous.files.size(); ++i) {
    if (std::find(values.begin(), values.end(), previous.values[i]) != values.end()) continue;
    const std::string& file = previous.files[i].location;
    if (file.rfind(prefix, 0) != 0) {
      throw Error(ErrorKind::kData, "a processed file lies outside " + prefix + ": " + file,
                  Location{ProcessedManifestPath(measurement), 0, entity},
                  "process the measurement without --incremental");
    }
    carried.push_back(file.substr(prefix.size()));
  }
  return carried;
}

// The rollup base the last processing kept for `fact`, or nullopt when it kept none or its files are gone.
std::optional<KeptRollupBase> PreviousRollupBase(lake::LakeSession& session, const lake::Catalog& catalog,
                                                 const PreviousRun& previous, const std::string& measurement,
                                                 const std::string& fact) {
  auto it = previous.rollup_bases.find(fact);
  if (it == previous.rollup_bases.end()) return std::nullopt;
  return OpenRollupBase(session.connection(), catalog, RollupBaseFolder(catalog, measurement), it->second,
                        "__cdmlake_previous_base_" + fact);
}

// A fingerprint of the data files of every entity in the processed manifest (nothing when there is none): an
// incremental run applies changes to a previous fact only when that output is the one its state describes.
std::map<std::string, std::string> OutputFingerprints(const lake::Catalog& catalog, const std::string& measurement) {
  std::map<std::string, std::string> out;
  const std::string document = ProcessedManifestPath(measurement);
  if (!catalog.fs().Stat(JoinPath(catalog.lake_root(), document))) return out;
  try {
    lake::Catalog processed = lake::Catalog::OpenDocument(catalog.fs(), catalog.lake_root(), document);
    for (const cdm::RootDocument& root : processed.roots()) {
      for (const cdm::Entity& entity : root.entities) {
        std::vector<lake::EntityFile> files;
        lake::PrepareEntityFiles(processed, entity, &files);
        std::string text;
        for (const auto& f : files) text += f.absolute + "\t" + std::to_string(f.info.size) + "\n";
        out[entity.name] = std::to_string(std::hash<std::string>{}(text)) + "-" + std::to_string(files.size());
      }
    }
  } catch (const Error&) {
    // An unreadable output matches nothing: the facts are recomputed whole.
  }
  return out;
}

// The calendar of a range covers whole years: it changes only when the first or the last year does.
std::string CalendarSpan(const DateRange& range) {
  auto year = [](const std::optional<std::string>& date) {
    if (!date) return std::string("-");
    size_t dash = date->find('-', 1);
    return date->substr(0, dash) + (date->ends_with("(BC)") ? " BC" : "");
  };
  return year(range.first) + "/" + year(range.second);
}

// The union of the ranges: the smallest first and the largest last date (compared by DuckDB, as dates).
DateRange UnionRange(engine::Connection& connection, const std::map<std::string, DateRange>& ranges) {
  std::string dates = "SELECT CAST(NULL AS DATE) AS d WHERE false";
  for (const auto& [fact, range] : ranges) {
    for (const auto& d : {range.first, range.second}) {
      if (d) dates += " UNION ALL SELECT CAST(" + engine::QuoteLiteral(*d) + " AS DATE)";
    }
  }
  auto rows = connection.Query("SELECT CAST(min(d) AS VARCHAR), CAST(max(d) AS VARCHAR) FROM (" + dates + ")")
                  .FetchAllText();
  return {rows.at(0).at(0), rows.at(0).at(1)};
}

// The dates a calendar covers, as a query with one DATE column d: the ends of each fact's range.
std::string CalendarDates(const std::map<std::string, DateRange>& ranges) {
  std::string dates = "SELECT CAST(NULL AS DATE) AS d WHERE false";
  for (const auto& [fact, range] : ranges) {
    for (const auto& d : {range.first, range.second}) {
      if (d) dates += " UNION ALL SELECT CAST(" + engine::QuoteLiteral(*d) + " AS DATE) AS d";
    }
  }
  return dates;
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

// The rollups this run must rebuild: those asked for, and those whose aggregate or dimensions this run writes.
std::vector<RollupJob> PlanRollups(const StarSchema& schema, const std::vector<PlanOutput>& outputs,
                                   const std::set<std::string>& build, lake::LakeSession& session,
                                   const lake::Catalog& catalog) {
  std::map<std::string, std::string> planned;
  for (const auto& output : outputs) planned[output.entity] = output.relation;
  auto relation = [&](const std::string& entity) {
    auto it = planned.find(entity);
    return it != planned.end() ? it->second : PreviousRows(session, catalog, schema.measurement, entity);
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

// A rollup as temp tables: the rollup, and its base when the design has members ("" for a grand total).
struct RollupTables {
  std::string rollup;
  std::string base;  // the base's rows to keep: all of them, or an update's touched buckets
  int64_t recomputed_groups = 0;  // base groups recomputed from the aggregate (an update's dirty groups)
  // A base kept by bucket (rollup_base_store.h): each id's bucket, the id column, and the previous base's files
  // of the buckets not touched, kept as they are.
  std::string buckets;
  std::string id_column;
  std::vector<std::pair<std::string, std::string>> carried;
};

// The member whose ids cut the base into buckets: the one joining the calendar the fact is written by, whose
// combinations lie in one month each when the design keeps the month. nullopt: the base is kept in one file.
std::optional<size_t> BucketMember(const StarSchema& schema, const FactTable& fact, const RollupDesign& design) {
  const std::string key = FactPartitionKey(schema, fact);
  for (size_t i = 0; i < design.members.size() && !key.empty(); ++i) {
    if (!design.members[i].dimension_table.empty() && design.members[i].key_column == key) return i;
  }
  return std::nullopt;
}

// Sets the bucket of each id of the design's bucket member as a temp table, when it has one.
void SetBuckets(const RollupJob& job, const StarSchema& schema, const RollupDesign& design,
                engine::Connection& connection, RollupTables* out) {
  const std::optional<size_t> member = BucketMember(schema, *job.fact, design);
  if (!member) return;
  const std::string table = "__cdmlake_rollup_" + job.fact->name + "_buckets";
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + engine::QuoteIdentifier(table) + " AS " +
                     RollupBaseBucketsSelect(design, job.dimensions, *member,
                                             MonthOf(design.members[*member].key_column)));
  out->buckets = "temp." + engine::QuoteIdentifier(table);
  out->id_column = RollupMemberIdColumn(design.members[*member]);
}

// Materializes the rollup of `design` from the job's aggregate, through its base with the extremes kept.
RollupTables MaterializeRollup(const RollupJob& job, const StarSchema& schema, const RollupDesign& design,
                               engine::Connection& connection) {
  const std::string prefix = "__cdmlake_rollup_" + job.fact->name;
  RollupTables out;
  out.rollup = "temp." + engine::QuoteIdentifier(prefix);
  if (design.members.empty()) {
    connection.Execute("CREATE OR REPLACE TEMP TABLE " + engine::QuoteIdentifier(prefix) + " AS " +
                       RollupSelect(*job.fact, design, job.aggregate, job.dimensions));
    return out;
  }
  out.base = "temp." + engine::QuoteIdentifier(prefix + "_base");
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + engine::QuoteIdentifier(prefix + "_base") + " AS " +
                     RollupBaseSelect(*job.fact, design, job.aggregate, job.dimensions, /*state=*/true));
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + engine::QuoteIdentifier(prefix) + " AS " +
                     RollupFromBaseSelect(*job.fact, design, out.base, job.dimensions));
  SetBuckets(job, schema, design, connection, &out);
  return out;
}

// Chooses the rollup's attributes from the data (rollup.h) and materializes it.
RollupTables BuildRollup(const RollupJob& job, const StarSchema& schema, lake::LakeSession& session) {
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
  return MaterializeRollup(job, schema, design, connection);
}

// Names and types of a relation's columns.
std::vector<std::pair<std::string, std::string>> Columns(engine::Connection& connection, const std::string& select) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& row : connection.Query("DESCRIBE " + select).FetchAllText()) {
    out.emplace_back(row.at(0).value_or(""), row.at(1).value_or(""));
  }
  return out;
}

// Updates a rollup's base per touched group (rollup.h) after its fact was updated from changed rows, keeping the
// previous design, and makes the rollup from it. `previous_base` is the base the last processing kept ("" when
// none). Returns no tables with *why set when the rollup must be built again with its design chosen again (the
// increment would choose other degenerate attributes, the previous rollup or base is not one this run would
// write, sums are floating). Tables with *why set: recomputed whole with the kept design (a group of the base
// lost every extreme it kept).
// The new aggregate's rows of some months (FactPartitionBy's values), reading only their files.
using AggregateMonths = std::function<std::string(const std::vector<std::string>& months)>;

RollupTables UpdateRollup(const RollupJob& job, const StarSchema& schema, lake::LakeSession& session,
                          const FactDeltaResult& delta, const std::string& previous,
                          const std::optional<KeptRollupBase>& previous_base, const AggregateMonths& aggregate_months,
                          std::string* why) {
  engine::Connection& connection = session.connection();
  const FactTable& fact = *job.fact;
  const auto previous_columns = Columns(connection, "SELECT * FROM " + previous);
  std::vector<std::string> names;
  for (const auto& [name, type] : previous_columns) names.push_back(name);
  std::optional<RollupDesign> design = RollupDesignFromColumns(fact, schema, names);
  if (!design) {
    *why = "the previous rollup keeps no attributes (a grand total)";
    return {};
  }
  if (!previous_base) {
    *why = "the last processing kept no base of it";
    return {};
  }
  // Dimension members are chosen from the dimension tables, which this run did not write (checked by the
  // caller); the fact's own attributes are chosen from the aggregate, which changed: choose them again.
  for (RollupMember& member : RollupCandidates(fact, schema)) {
    if (!member.dimension_table.empty()) continue;
    std::vector<std::string> chosen = ChooseRollupAttributes(
        member.attributes,
        [&](const std::vector<std::string>& columns) { return DistinctCombinations(connection, job.aggregate, columns); },
        kRollupMemberBudget);
    std::vector<std::string> kept;
    for (const RollupMember& m : design->members) {
      if (m.name == member.name) kept = m.attributes;
    }
    if (chosen != kept) {
      *why = "the changed rows change the rollup's design (" + member.name + " keeps " +
             (chosen.empty() ? std::string("nothing") : Join(chosen, ", ")) + " instead of " +
             (kept.empty() ? std::string("nothing") : Join(kept, ", ")) + ")";
      return {};
    }
  }
  if (Columns(connection, RollupSelect(fact, *design, delta.touched_after, job.dimensions)) != previous_columns) {
    *why = "the previous rollup's columns or types differ from this run's";
    return {};
  }
  const auto base_columns = Columns(connection, "SELECT * FROM " + previous_base->relation);
  if (Columns(connection, RollupBaseSelect(fact, *design, delta.touched_after, job.dimensions, true)) !=
      base_columns) {
    *why = "the kept base's columns or types differ from this run's";
    return {};
  }
  for (const auto& column : RollupAdditiveColumns(fact)) {
    for (const auto& [name, type] : base_columns) {
      if (name == column && (type == "DOUBLE" || type == "FLOAT" || type == "REAL")) {
        *why = column + " is a floating-point sum: deltas would not give a full process's bits";
        return {};
      }
    }
  }
  const std::string prefix = "__cdmlake_rollup_" + fact.name + "_";
  auto temp = [&](const std::string& name) { return "temp." + engine::QuoteIdentifier(prefix + name); };
  auto create = [&](const std::string& name, const std::string& select) {
    connection.Execute("CREATE OR REPLACE TEMP TABLE " + engine::QuoteIdentifier(prefix + name) + " AS " + select);
  };
  create("changes", RollupBaseChangeSelect(fact, *design, delta.touched_before, delta.touched_after, job.dimensions));
  // A base kept by bucket is read and written only in the buckets of the touched groups; the others' files are
  // carried into the new base as they are.
  RollupTables out;
  SetBuckets(job, schema, *design, connection, &out);
  std::string previous_rows = previous_base->relation, untouched_rows;
  if (!out.buckets.empty() && previous_base->by_bucket()) {
    const std::string id = engine::QuoteIdentifier(out.id_column);
    const std::string bucket = engine::QuoteIdentifier(kRollupBucketColumn);
    std::vector<std::string> touched;
    for (const auto& row : connection.Query("SELECT DISTINCT coalesce(k." + bucket + ", 'none') FROM " +
                                            temp("changes") + " AS c LEFT JOIN " + out.buckets + " AS k ON c." + id +
                                            " = k." + id).FetchAllText()) {
      touched.push_back(row.at(0).value_or("none"));
    }
    previous_rows = previous_base->Buckets(touched, true);
    untouched_rows = previous_base->Buckets(touched, false);
    out.carried = previous_base->Files(touched, false);
  }
  create("merged", RollupBaseMergeSelect(fact, *design, temp("changes"), previous_rows));
  // A group that lost every extreme it kept (kRollupExtremes), none added within them, is dirty: its row is
  // recomputed from the aggregate rows of its combination, a few groups.
  std::string merged = temp("merged");
  create("dirty", RollupBaseDirtySelect(*design, merged));
  const int64_t dirty = std::stoll(connection.Query("SELECT count(*) FROM " + temp("dirty")).ScalarText());
  if (dirty > 0) {
    // When the aggregate is written by month and the design keeps the month of its calendar key's member, a
    // group lies in the months of its combinations' keys: only those months are read.
    std::string aggregate = job.aggregate;
    const std::string key = FactPartitionKey(schema, fact);
    for (size_t i = 0; i < design->members.size() && aggregate_months && !key.empty(); ++i) {
      if (design->members[i].dimension_table.empty() || design->members[i].key_column != key) continue;
      std::vector<std::string> months;
      bool any = false;
      for (const auto& row : connection.Query("SELECT DISTINCT CASE WHEN " + engine::QuoteIdentifier(key) +
                                              " IS NULL THEN NULL ELSE " + MonthOf(key) + " END FROM (" +
                                              RollupMemberKeysSelect(*design, job.dimensions, i, temp("dirty")) +
                                              ")").FetchAllText()) {
        if (!row.at(0)) any = true;
        months.push_back(row.at(0).value_or(""));
      }
      if (!any) aggregate = aggregate_months(months);
    }
    create("repaired", RollupBaseRepairedSelect(fact, *design, base_columns, merged, temp("dirty"), aggregate,
                                                job.dimensions));
    merged = temp("repaired");
  }
  out.recomputed_groups = dirty;
  create("base", RollupBaseUpdatedSelect(*design, base_columns, previous_rows, merged));
  out.base = temp("base");
  std::string whole = out.base;
  if (!untouched_rows.empty()) {
    connection.Execute("CREATE OR REPLACE TEMP VIEW " + engine::QuoteIdentifier(prefix + "whole_base") +
                       " AS SELECT * FROM " + out.base + " UNION ALL SELECT * FROM " + untouched_rows);
    whole = temp("whole_base");
  }
  create("updated", RollupFromBaseSelect(fact, *design, whole, job.dimensions));
  out.rollup = temp("updated");
  return out;
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
  const std::map<std::string, std::string> created_views = sources.CreateIn(session);

  StarOptions star_options;
  star_options.date_table = options.date_table;
  star_options.source_columns = [&session](const std::string& name) {
    return RelationColumns(session.connection(), name);
  };
  StarSchema schema = BuildStarSchema(package, star_options);

  ProcessReport report;
  report.warnings = schema.warnings;
  RunState state;
  for (const auto& table : sources.tables()) state.tables[table] = TableFingerprint(catalog, table);
  state.signature = SchemaSignature(schema, options);
  std::map<std::string, std::vector<std::string>> entity_sources = EntitySources(schema, sources);

  // The refreshed tables the facts read, with the current-state file this run reads: kept as the snapshot the
  // next incremental run compares with (source_delta.h).
  std::map<std::string, std::string> current_states;
  const std::string snapshots = SnapshotFolder(catalog, measurement);
  for (const FactTable& fact : schema.facts) {
    for (const auto& table : sources.TablesUnder(fact.source)) {
      std::string current;
      if (auto snapshot = KeepSnapshot(session, catalog, snapshots, table, &current)) {
        current_states[table] = current;
        state.snapshots[table] = *snapshot;
      }
    }
  }

  std::set<std::string> build;
  for (const auto& [entity, tables] : entity_sources) build.insert(entity);
  std::string manifest = JoinPath(catalog.lake_root(), ProcessedManifestPath(measurement));
  PreviousRun previous;
  if (options.incremental) {
    previous = ReadPreviousRun(catalog, measurement);
    if (!previous.found) {
      report.reason = "no previous processing was recorded";
    } else if (previous.signature != state.signature) {
      report.reason = "the measurement's metadata or the processing options changed";
    } else if (!catalog.fs().Stat(manifest)) {
      report.reason = "the processed manifest is missing";
    } else {
      report.full = false;
      for (const auto& [table, fingerprint] : state.tables) {
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

  // Calendars are decided after the facts, from their date ranges; rollups after the plan, from what it wrote.
  std::set<std::string> calendars, forced_rollups;
  for (const auto& d : schema.dimensions) {
    if (d.kind == DimensionKind::kCalendar) calendars.insert(d.name);
  }
  for (const FactTable& fact : schema.facts) {
    if (report.full || !previous.entities.count(RollupEntityName(fact))) forced_rollups.insert(RollupEntityName(fact));
  }
  std::set<std::string> plan_build;
  for (const auto& entity : build) {
    if (!calendars.count(entity)) plan_build.insert(entity);
  }

  // Facts whose one changed table has a change set and which are linear in it take the change as a delta.
  std::vector<PlanOutput> outputs;
  std::map<std::string, DateRange> fact_dates;
  std::map<std::string, std::string> previous_outputs;
  std::map<std::string, FactDeltaResult> fact_deltas;  // facts updated from changed rows
  auto same_output = [&](const std::string& entity) {
    auto it = previous.outputs.find(entity);
    auto now = previous_outputs.find(entity);
    return it != previous.outputs.end() && now != previous_outputs.end() && it->second == now->second;
  };
  if (!report.full) {
    previous_outputs = OutputFingerprints(catalog, measurement);
    std::map<std::string, std::pair<SourceDelta, std::string>> deltas;  // by table, once: (delta, why not)
    for (const FactTable& fact : schema.facts) {
      if (!plan_build.count(fact.name) || !previous.entities.count(fact.name)) continue;
      std::vector<std::string> changed;
      for (const auto& t : sources.TablesUnder(fact.source)) {
        if (std::find(report.changed_tables.begin(), report.changed_tables.end(), t) != report.changed_tables.end()) {
          changed.push_back(t);
        }
      }
      const std::string aggregate = AggregateEntityName(fact);
      std::string why;
      if (options.format != cdm::FileFormat::kParquet) {
        why = "the output is CSV, whose values do not read back exactly";
      } else if (changed.size() != 1) {
        why = std::to_string(changed.size()) + " of its tables changed (" + Join(changed, ", ") + ")";
      } else if (AggregateKeys(fact).empty()) {
        why = "its aggregate has no keys";
      } else if (!current_states.count(changed[0])) {
        why = changed[0] + " has no change set: it is read from its raw files, not from a state of `lake refresh`";
      } else if (!previous.snapshots.count(changed[0]) ||
                 !catalog.fs().Stat(JoinPath(catalog.lake_root(), previous.snapshots.at(changed[0]).file))) {
        why = changed[0] + " has no snapshot of the last processing";
      } else if (!same_output(fact.name) || !same_output(aggregate) || !previous.fact_dates.count(fact.name)) {
        why = "the processed output is not the one the last processing recorded";
      } else {
        why = LinearityProblem(ViewQueries(sources), fact.source, changed[0]);
        if (why.empty() && !FactPartitionBy(schema, fact).empty()) {
          why = UnpartitionedOutput(catalog, measurement, fact.name);
          if (why.empty()) why = UnpartitionedOutput(catalog, measurement, aggregate);
        }
      }
      if (why.empty()) {
        const std::string& table = changed[0];
        if (!deltas.count(table)) {
          SourceDelta delta;
          std::string no_delta;
          try {
            no_delta = ComputeSourceDelta(session.connection(), catalog, table, previous.snapshots.at(table),
                                          current_states.at(table), &delta);
          } catch (const engine::EngineError& e) {
            throw session.Explain(e);
          }
          deltas[table] = {delta, no_delta};
        }
        why = deltas[table].second;
      }
      if (!why.empty()) {
        report.fallbacks.push_back(fact.name + ": " + why);
        continue;
      }
      FactDeltaResult result;
      try {
        PreviousFactOutput previous_output;
        previous_output.partition_by = FactPartitionBy(schema, fact);
        previous_output.rows = [&](const std::string& entity, const std::vector<std::string>& values, bool others) {
          return PreviousRows(session, catalog, measurement, entity, values, others);
        };
        result = ApplyFactDelta(session, catalog, schema, fact, deltas[changed[0]].first, previous_output,
                                previous.fact_dates.at(fact.name), created_views);
      } catch (const engine::EngineError& e) {
        Error explained = session.Explain(e);
        throw Error(explained.kind(), "updating " + fact.name + " failed: " + explained.message(),
                    Location{"", 0, fact.name}, explained.hint());
      }
      // Partitions without a touched group are carried over: their files are linked, not written.
      std::vector<std::string> carried_fact, carried_aggregate;
      if (!FactPartitionBy(schema, fact).empty()) {
        carried_fact = CarriedFiles(catalog, measurement, fact.name, result.partitions);
        carried_aggregate = CarriedFiles(catalog, measurement, aggregate, result.partitions);
        report.rewritten_months[fact.name] = report.rewritten_months[aggregate] = result.partitions;
      }
      outputs.push_back({fact.name, result.fact, result.written_fact, carried_fact});
      outputs.push_back({aggregate, result.aggregate, result.written_aggregate, carried_aggregate});
      fact_dates[fact.name] = result.dates;
      plan_build.erase(fact.name);
      plan_build.erase(aggregate);
      report.updated.push_back(fact.name);
      fact_deltas[fact.name] = result;
    }
  }

  ProcessPlan plan = BuildProcessPlan(schema, options.partitions, plan_build);
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    RunStep(session, plan.steps[i]);
    if (progress) progress->SetFraction(0.6 * static_cast<double>(i + 1) / static_cast<double>(plan.steps.size()));
  }
  outputs.insert(outputs.end(), plan.outputs.begin(), plan.outputs.end());

  // Each fact's date range: of what this run wrote, else as recorded (a kept fact is not read again).
  for (const FactTable& fact : schema.facts) {
    if (fact_dates.count(fact.name)) continue;
    auto written = std::find_if(outputs.begin(), outputs.end(),
                                [&](const PlanOutput& o) { return o.entity == fact.name; });
    if (written != outputs.end()) {
      fact_dates[fact.name] = FactDateRange(session.connection(), schema, fact, written->relation);
    } else if (previous.fact_dates.count(fact.name)) {
      fact_dates[fact.name] = previous.fact_dates.at(fact.name);
    } else {
      fact_dates[fact.name] =
          FactDateRange(session.connection(), schema, fact, PreviousRows(session, catalog, measurement, fact.name));
    }
  }
  std::set<std::string> build_calendars;
  const DateRange range = UnionRange(session.connection(), fact_dates);
  // Without dates a calendar covers the current year, which moves: it is always rebuilt then.
  const bool span_changed = report.full || !range.first ||
                            CalendarSpan(range) != CalendarSpan(UnionRange(session.connection(), previous.fact_dates));
  for (const auto& calendar : calendars) {
    if (span_changed || !previous.entities.count(calendar)) build_calendars.insert(calendar);
  }
  ProcessPlan calendar_plan = PlanCalendars(schema, build_calendars, CalendarDates(fact_dates));
  for (const PlanStep& step : calendar_plan.steps) RunStep(session, step);
  outputs.insert(outputs.end(), calendar_plan.outputs.begin(), calendar_plan.outputs.end());

  std::vector<RollupJob> rollups = PlanRollups(schema, outputs, forced_rollups, session, catalog);
  std::map<std::string, RollupTables> rollup_bases;  // fact -> its rollup's new base
  for (const RollupJob& job : rollups) {
    std::string entity = RollupEntityName(*job.fact);
    try {
      // After a fact update the rollup's base is updated per touched group, unless a dimension it groups by was
      // rewritten (its members may have moved) or the previous rollup is not the recorded one.
      RollupTables tables;
      auto delta = fact_deltas.find(job.fact->name);
      if (delta != fact_deltas.end()) {
        std::string why;
        for (const auto& d : job.fact->dimensions) {
          if (why.empty() && std::any_of(outputs.begin(), outputs.end(),
                                         [&](const PlanOutput& o) { return o.entity == d.dimension_table; })) {
            why = d.dimension_table + " was rebuilt";
          }
        }
        if (why.empty() && (!previous.entities.count(entity) || !same_output(entity))) {
          why = "the processed rollup is not the one the last processing recorded";
        }
        if (why.empty()) {
          try {
            const FactDeltaResult& result = delta->second;
            AggregateMonths months;
            if (!result.partitions.empty()) {
              months = [&](const std::vector<std::string>& wanted) {
                // The months rewritten come from this run's rows, the others from their previous files.
                std::vector<std::string> kept, quoted;
                for (const auto& m : wanted) {
                  quoted.push_back(engine::QuoteLiteral(m));
                  if (std::find(result.partitions.begin(), result.partitions.end(), m) == result.partitions.end()) {
                    kept.push_back(m);
                  }
                }
                const std::string aggregate = AggregateEntityName(*job.fact);
                const std::string view = "__cdmlake_rollup_months_" + job.fact->name;
                session.connection().Execute(
                    "CREATE OR REPLACE TEMP VIEW " + engine::QuoteIdentifier(view) + " AS SELECT * FROM " +
                    result.written_aggregate + " WHERE " + FactPartitionBy(schema, *job.fact) + " IN (" +
                    (quoted.empty() ? "NULL" : Join(quoted, ", ")) + ") UNION ALL SELECT " + result.aggregate_cast +
                    " FROM " + PreviousRows(session, catalog, measurement, aggregate, kept, false) + " AS p");
                return "temp." + engine::QuoteIdentifier(view);
              };
            }
            tables = UpdateRollup(job, schema, session, result, PreviousRows(session, catalog, measurement, entity),
                                  PreviousRollupBase(session, catalog, previous, measurement, job.fact->name), months,
                                  &why);
          } catch (const engine::EngineError& e) {
            // State is a cache: a damaged one costs a recompute, not the run.
            tables = {};
            why = std::string("its kept base could not be read (") + e.what() + "): recomputed";
          }
        }
        if (!why.empty()) report.fallbacks.push_back(entity + ": " + why);
        if (!tables.rollup.empty() && why.empty()) {
          report.updated.push_back(entity);
          if (tables.recomputed_groups > 0) report.recomputed_groups[entity] = tables.recomputed_groups;
        }
      }
      if (tables.rollup.empty()) tables = BuildRollup(job, schema, session);
      outputs.push_back({entity, tables.rollup});
      if (!tables.base.empty()) rollup_bases[job.fact->name] = tables;
    } catch (const engine::EngineError& e) {
      throw Error(ErrorKind::kInternal, "processing " + entity + " failed: " + e.what(), Location{"", 0, entity});
    }
  }
  if (!report.full) {
    // Kept is what this run does not write (a fact may be rebuilt without its table changing, or kept although
    // its calendar's table did).
    for (const auto& [entity, tables] : entity_sources) {
      if (std::none_of(outputs.begin(), outputs.end(), [&](const PlanOutput& o) { return o.entity == entity; })) {
        report.kept.push_back(entity);
      }
    }
    if (outputs.empty()) return report;
  }

  // The rollups' bases are kept before the commit, so a state naming one never lacks its file; a rollup this
  // run does not write keeps the base kept with it.
  for (const FactTable& fact : schema.facts) {
    auto kept = previous.rollup_bases.find(fact.name);
    if (rollup_bases.count(fact.name)) {
      const RollupTables& tables = rollup_bases.at(fact.name);
      state.rollup_bases[fact.name] =
          KeepRollupBase(session.connection(), catalog, RollupBaseFolder(catalog, measurement), fact.name,
                         {tables.base, tables.buckets, tables.id_column, tables.carried});
    } else if (kept != previous.rollup_bases.end() &&
               std::none_of(outputs.begin(), outputs.end(),
                            [&](const PlanOutput& o) { return o.entity == RollupEntityName(fact); })) {
      state.rollup_bases[fact.name] = kept->second;
    }
  }

  lake::CdmFolderOptions folder;
  folder.manifest_name = SafeFileName(measurement);
  folder.format = options.format;
  lake::CdmFolderWriter writer(session.connection(), catalog.fs(),
                               JoinPath(catalog.lake_root(), kAggregateMeasurementsFolder), folder);
  // Facts and aggregates are written by month (FactPartitionBy); an updated one names the months it rewrites.
  std::map<std::string, std::string> partitioned;
  for (const FactTable& fact : schema.facts) {
    partitioned[fact.name] = partitioned[AggregateEntityName(fact)] = FactPartitionBy(schema, fact);
  }
  for (const auto& output : outputs) {
    lake::OutputEntity entity{output.entity,
                              "SELECT * FROM " + (output.written.empty() ? output.relation : output.written),
                              "cdmlake entitystore: " + measurement, {}};
    auto by = partitioned.find(output.entity);
    if (by != partitioned.end()) entity.partition_by = by->second;
    entity.carried_files = output.carried_files;
    writer.Add(std::move(entity));
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
  for (const auto& [entity, tables] : entity_sources) state.entities.push_back(entity);
  state.fact_dates = fact_dates;
  state.outputs = OutputFingerprints(catalog, measurement);
  std::vector<std::string> keep;
  for (const auto& [table, snapshot] : state.snapshots) keep.push_back(snapshot.file);
  WriteRunState(catalog, measurement, state);
  PruneSnapshots(catalog, snapshots, keep);
  std::vector<std::string> bases;
  for (const auto& [fact, file] : state.rollup_bases) bases.push_back(file);
  PruneRollupBases(catalog, RollupBaseFolder(catalog, measurement), bases);
  return report;
}

}  // namespace cdmlake::entitystore
