// A synthetic Synapse Link for Dataverse lake in incremental-folder mode, holding the same kind of data as the
// D365 lake (d365_lake.h) and the same kind of changes (changes.h), with the expected final state.
//
// Layout written below out_dir:
//   model.json                          the latest schema of every table ("cdm"), no partitions
//   Changelog/changelog.info            names the folder still being written
//   2024-06-15T10.00.00Z/               the initial sync: every row once (<table>/2023.csv, 2024.csv)
//   2024-06-15T11.00.00Z/               the older changes (batch 1)
//   2024-06-15T12.00.00Z/               the newer changes (batch 2); its model.json adds the column
//                                       owningbusinessunitname, and the rows written before it was added are
//                                       narrower (ragged rows in one file); then stale rows: earlier versions,
//                                       also deletes, arriving after the newer ones
//   2024-06-15T13.00.00Z/               in progress: an empty model.json and rows that must not be applied
//   _truth/<table>.csv                  the expected current state (alive rows, full width, SinkCreatedOn and
//                                       SinkModifiedOn in ISO 8601 so that a plain CSV reader reads them)
// Each timestamp folder has a model.json with that folder's schema and its files as partitions. Rows are
// headerless: Id, SinkCreatedOn, SinkModifiedOn (US culture, "6/15/2024 10:00:00 AM"), the table's columns in
// lower case, versionnumber, createdon, modifiedon, IsDelete ("True" or empty) and, from the third folder on,
// owningbusinessunitname. Tables are named in lower case (salesline).
//
// Output is a pure function of the options. Thread-safety: as GenerateD365Lake.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generate/changes.h"
#include "util/file_system.h"
#include "util/progress.h"

namespace cdmlake::generate {

struct SynapseLinkOptions {
  std::string out_dir;  // absolute
  int64_t scale = 10000;  // as D365LakeOptions::scale
  uint64_t seed = 42;
  ChangeOptions changes;  // percent and tables (the seed above is used)
};

struct SynapseLinkTableSummary {
  std::string name;          // lower case
  int64_t rows_written = 0;  // in every folder, the in-progress one too
  int64_t final_rows = 0;
};

struct SynapseLinkSummary {
  std::vector<SynapseLinkTableSummary> tables;
  std::vector<std::string> folders;  // timestamp folders, in time order
  std::string in_progress;
  uint64_t bytes_written = 0;
};

// Writes the lake. The D365 tables it starts from are generated in memory (progress, when set, counts their
// rows). Throws Error(kUser) for bad options, Error(kIo) when a write fails.
SynapseLinkSummary GenerateSynapseLinkLake(FileSystem& fs, const SynapseLinkOptions& options, Progress* progress);

}  // namespace cdmlake::generate
