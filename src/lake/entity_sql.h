// The SQL that reads an entity's data files with its CDM column names and types.
//
// CSV partitions are read with DuckDB's read_csv, with every setting explicit (no sniffing): header, delimiter,
// quote and escape from the partition's format, the columns and types from the entity, extra columns as an error, quoted empty strings as empty
// strings (F&O has no NULL strings) and unquoted empty fields as NULL. Partitions with different settings are
// read separately and combined with UNION ALL, and so are files narrower than the entity (Partition::columns),
// whose missing trailing columns read as NULL. For D365 exports, the 1900-01-01 "no date" reads as NULL.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "cdm/model.h"

namespace cdmlake::lake {

struct ScanOptions {
  // Quarantine mode: unreadable rows are skipped and recorded in DuckDB reject tables named
  // <rejects_prefix>_errors_<n> and <rejects_prefix>_scans_<n>, one pair per CSV read (n from 0).
  bool quarantine = false;
  std::string rejects_prefix;
};

struct EntityScan {
  std::string sql;
  int csv_reads = 0;  // number of read_csv calls (each with its own reject tables in quarantine mode)
};

// partitions: the entity's data files (lake-relative); lake_root: absolute path.
EntityScan BuildEntityScan(const cdm::Entity& entity, const std::vector<cdm::Partition>& partitions,
                           const std::string& lake_root, const ScanOptions& options);

}  // namespace cdmlake::lake
