// `entitystore process`: materializes a measurement's star schema (fact and dimension tables) and its aggregate
// tables into the lake as one CDM folder, `<lake>/AggregateMeasurements/<M>.manifest.cdm.json`, through the
// atomic commit of lake/cdm_folder_writer.h: a reader sees the previous processing or this one, never a mix.
//
// Incremental processing fingerprints every lake table the measurement reads (its data files, or the current
// state kept by `lake refresh`) and records them with the schema's SQL, each fact's date range, the files of
// each output entity and a snapshot of each refreshed table in `<lake>/_cdmlake/entitystore/<M>/process.json`.
// `--incremental` rebuilds only the entities whose sources changed and carries the others over unchanged: a
// dimension whose table changed; a fact whose table changed, updated from the changed rows when the change set
// is known and the fact is linear in that table (incremental_fact.h), else recomputed whole, with its
// aggregate; the calendars only when the facts' date range covers other years; the rollups over what changed
// (per touched group after a fact update, rollup.h; else recomputed from the aggregate).
// When the metadata, the format or the partitioning changed, or there is no previous run, it processes
// everything. Its output equals a full process.
// Thread-compatible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cdm/model.h"
#include "engine/database.h"
#include "entitystore/metadata.h"
#include "lake/catalog.h"
#include "util/progress.h"

namespace cdmlake::entitystore {

struct ProcessOptions {
  cdm::FileFormat format = cdm::FileFormat::kParquet;
  bool incremental = false;
  int partitions = 1;      // fact partitions of the plan (see process_plan.h)
  std::string date_table;  // a lake table for Date_ ("" = generated calendar)
};

struct ProcessReport {
  std::string manifest;                  // absolute path of the committed manifest ("" when nothing was done)
  bool full = true;                      // everything was rebuilt
  std::string reason;                    // why a requested incremental run processed everything
  std::vector<std::string> rebuilt;      // entities written by this run
  std::vector<std::string> kept;         // entities carried over unchanged
  std::vector<std::string> changed_tables;  // source tables whose data changed since the last run
  std::vector<std::string> updated;      // facts (with their aggregates) and rollups updated from the changed rows
  std::vector<std::string> fallbacks;    // "<fact>: why it was recomputed whole" for the other changed facts, and
                                         // "<rollup>: why" for the rollup of an updated fact that was recomputed
  std::map<std::string, int64_t> rows;   // rows per rebuilt entity
  // Per fact and aggregate updated from the changed rows, the months rewritten (the others' files carried over).
  std::map<std::string, std::vector<std::string>> rewritten_months;
  // Per rollup updated per group, its base groups recomputed from the aggregate (they lost every extreme kept).
  std::map<std::string, int64_t> recomputed_groups;
  std::vector<std::string> warnings;
};

// The lake-relative folder of processed measurements.
inline constexpr const char* kAggregateMeasurementsFolder = "AggregateMeasurements";

// Throws Error naming the measurement and the failing table or view; the lake then keeps its previous output.
ProcessReport ProcessMeasurement(const MetadataPackage& package, const lake::Catalog& catalog,
                                 engine::Database& database, const ProcessOptions& options, Progress* progress);

// The lake-relative path of the manifest that ProcessMeasurement writes for a measurement.
std::string ProcessedManifestPath(const std::string& measurement);

}  // namespace cdmlake::entitystore
