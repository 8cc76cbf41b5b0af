// Synthetic change data for a generated D365 lake (d365_lake.h): inserts, updates and deletes over a share of
// the rows of some tables, written as a D365 Finance & Operations change feed, together with the expected
// final state so that tests can check `cdmlake lake refresh` against something computed independently of it.
//
// GenerateChangeFeed writes, beside Tables/:
//   ChangeFeed/ChangeFeed.manifest.cdm.json   one change entity per table, named like the table in upper case,
//                                             its files declared by a partition pattern (<TABLE>/*.csv)
//   ChangeFeed/<TABLE>.cdm.json               Start_LSN, End_LSN, DML_Action, Seq_Val, Update_Mask, the table's
//                                             columns, LastProcessedChange_DateTime, DataLakeModified_DateTime
//   ChangeFeed/<TABLE>/<TABLE>_<batch>_<part>.csv   headerless change rows; batch 001 holds the older changes and
//                                             002 the newer ones (every LSN of batch 002 is above those of 001),
//                                             so a test can deliver them in two refreshes
//   _truth/<Table>.csv                        the table after every change, in the Tables CSV format, by RECID
//
// The rows include what a consumer must get right: rows out of LSN order within and across the files of a
// batch, exact duplicates, BEFORE_UPDATE rows sharing the LSN and Seq_Val of their AFTER_UPDATE, several changes
// of one key, a key deleted and inserted again, DML_Action as codes or as names of any case, hex digits of any
// case, and values with commas, quotes and line breaks.
//
// Output is a pure function of the generated lake and the options (no clock, generate/random.h only).
// Thread-safety: as GenerateD365Lake.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generate/d365_lake.h"
#include "util/file_system.h"

namespace cdmlake::generate {

struct ChangeOptions {
  int percent = 10;  // change events per table, as a percentage of its rows (at least one event)
  uint64_t seed = 42;
  std::vector<std::string> tables = {"SalesLine", "SalesTable", "CustTable"};
};

// One column of a generated table, from its entity document.
struct SnapshotColumn {
  std::string name;
  std::string data_format;  // "Int64", "String", ...
  int max_length = -1;
  std::vector<int64_t> enum_values;
};

// A generated table as its raw CSV fields (strings stay quoted as written).
struct TableSnapshot {
  std::string name;    // "SalesLine"
  std::string folder;  // lake-relative folder of its manifest
  std::string entity_document;  // lake-relative
  std::vector<SnapshotColumn> columns;
  std::vector<std::vector<std::string>> rows;
  int key = -1;  // index of RECID

  int64_t KeyOf(const std::vector<std::string>& row) const;
};

// Reads a table of the lake generated at root (absolute). Throws Error(kData) when it is not there.
TableSnapshot ReadGeneratedTable(FileSystem& fs, const std::string& root, const GeneratedTable& table);

enum class ChangeKind { kInsert, kUpdate, kDelete };

struct ChangeEvent {
  ChangeKind kind = ChangeKind::kUpdate;
  int64_t key = 0;
  std::vector<std::string> row;     // the image after the change (for a delete: the row that is deleted)
  std::vector<std::string> before;  // an update's image before the change
  uint64_t mask = 0;                // bit i: column i changed
  int batch = 1;                    // 1: the older changes, 2: the newer ones
};

// The changes of one table in commit order.
struct ChangeScript {
  TableSnapshot table;
  std::vector<ChangeEvent> events;
};

// Plans max(1, rows * percent / 100) changes of the table. Every planned change is valid at its point in the
// order (updates and deletes hit live keys, inserts new or deleted keys). When the table allows it, batch 2
// starts by inserting again a key deleted in batch 1 and by deleting a key updated in batch 1.
ChangeScript PlanChanges(TableSnapshot table, int percent, uint64_t seed);

// The rows of the table after every change of the script, ordered by key.
std::vector<std::vector<std::string>> FinalRows(const ChangeScript& script);

// "a,b,c\n": a row of raw fields as a CSV record.
std::string CsvRecord(const std::vector<std::string>& fields);

struct ChangeFeedTableSummary {
  std::string name;
  int64_t events = 0;
  int64_t change_rows = 0;  // rows written, with duplicates and BEFORE_UPDATE rows
  int files = 0;
  int64_t final_rows = 0;
};

struct ChangeFeedSummary {
  std::vector<ChangeFeedTableSummary> tables;
  uint64_t bytes_written = 0;
};

// Writes the change feed and the _truth/ files for the lake that GenerateD365Lake wrote to root (absolute),
// as described above. Throws Error(kUser) for a percent outside 1..100 or a table that the lake does not have.
ChangeFeedSummary GenerateChangeFeed(FileSystem& fs, const std::string& root, const D365LakeSummary& lake,
                                     const ChangeOptions& options);

}  // namespace cdmlake::generate
