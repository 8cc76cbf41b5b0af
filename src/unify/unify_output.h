// The lake output of `unify run` (docs/unify.md "Outputs"): one CDM folder, `<lake>/<output.folder>/` with
// `<folder>.manifest.cdm.json` and model.json, CSV files with a header (as Customer Insights exports), written in
// one atomic commit (lake/cdm_folder_writer.h) and found by the lake catalog like any other CDM folder:
//
//  - Customer: CustomerId, per source `<Source>_<PK>` (the winner key of its first group) and
//    `<Source>_<PK>_Alternate` (every other key, ';'), the unified fields, PreviousCustomerId;
//  - AlternateKey: every source record of every profile (DataSourceName, TableName, AlternateValue, CustomerId,
//    Identifier `DataSource|Table|PK`, AlternateKeyId = UUIDv5 of the Identifier) — the next run's memory;
//  - ConflationMatchPairs: how each group joined its profile (rule, score, the rows that matched);
//  - Deduplication_<Source>: one row per dedup group (winner, alternates, group id, rule and score, the winner's
//    mapped fields);
//  - <Source>_Corrupt: the rows quarantined for a missing primary key, with the reason;
//  - UnifiedActivity: the activities whose link key belongs to a profile (through AlternateKey).
// Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"
#include "unify/unify_run.h"
#include "util/file_system.h"

namespace cdmlake::unify {

struct ActivityStats {
  std::string name;
  int64_t rows = 0;
  int64_t linked = 0;    // rows attached to a profile
  int64_t unlinked = 0;  // rows whose key is in no profile (not written)
  int64_t no_key = 0;          // rows without the activity's own key (not written, warned)
  int64_t duplicate_keys = 0;  // rows whose key an earlier row had (not written, warned; the first row wins)
};

struct OutputReport {
  std::string manifest;  // absolute path of the committed manifest
  std::map<std::string, int64_t> rows;  // per entity
  std::vector<ActivityStats> activities;
  // Values written as empty because they could not be read: an activity's timestamp its format does not fit,
  // an amount that is not a number ("PosPurchase.Total: 3 values are not numbers and count as empty").
  std::vector<std::string> warnings;
  double seconds = 0;  // building and writing the tables
};

// The AlternateKey of the previous run under `lake_root` (empty when there is none).
std::vector<PreviousKey> ReadPreviousKeys(engine::Database& database, FileSystem& fs, const std::string& lake_root,
                                          const UnifyConfig& config);

// Writes the outputs of a run in one commit. The Deduplication_<Source> and <Source>_Corrupt tables depend on the
// sources and their dedup groups only, so `unify run` hands them over as soon as dedup is done
// (WriteDeduplicationAhead, from RunUnification's AfterDedup) and they are written while matching runs, on the
// core it leaves idle; Finish writes the other tables and commits all of them as one version. A writer destroyed
// without a Finish that succeeded leaves the previous outputs as they were.
class UnificationWriter {
 public:
  // Checks that the output folder stays inside the lake (symbolic links followed) before anything runs.
  UnificationWriter(const UnifyConfig& config, engine::Database& database, const lake::Catalog* catalog,
                    FileSystem& fs, const std::string& lake_root);
  // Stops a write-ahead and removes what it wrote, unless Finish committed it.
  ~UnificationWriter();
  UnificationWriter(const UnificationWriter&) = delete;
  UnificationWriter& operator=(const UnificationWriter&) = delete;

  // Starts writing the tables of dedup on a thread of their own. run.tables and run.dedups must not change (nor
  // their elements move) until Finish returns or Abandon is called; moving the result is fine.
  void WriteDeduplicationAhead(const UnifyResult& run);
  // The run failed: stops the write-ahead and removes what it wrote. Finish cannot be called afterwards.
  void Abandon();
  // Writes the other tables (and the tables of dedup, when not written ahead) and commits. Call once.
  OutputReport Finish(const UnifyResult& run);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A writer without a write-ahead: builds and commits every output of the run.
OutputReport WriteUnification(const UnifyResult& run, engine::Database& database, const lake::Catalog* catalog,
                              FileSystem& fs, const std::string& lake_root);

}  // namespace cdmlake::unify
