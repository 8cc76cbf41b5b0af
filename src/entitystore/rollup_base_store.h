// Where a rollup's base (rollup.h) is kept between processings, under the measurement's state folder
// (_cdmlake/entitystore/<M>/rollups/): either one Parquet file, or, when the base can be cut by the month of the
// calendar its fact is written by (RollupBaseBucketsSelect), a folder with one Parquet file per bucket. An
// increment then reads and writes only the buckets of the groups it touches and carries the others into the new
// folder as hard links, as facts carry their untouched months.
// A kept base is a cache: anything missing or foreign makes the rollup be recomputed, never the run fail.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"

namespace cdmlake::entitystore {

// The column of a bucketed base's write that names each row's bucket (the folder "__cdmlake_bucket=<bucket>").
inline constexpr const char* kRollupBucketColumn = "__cdmlake_bucket";

struct KeptRollupBase {
  std::string relation;  // every row of the base
  // By bucket: each bucket's files (absolute). Empty for a base kept in one file.
  std::map<std::string, std::vector<std::string>> bucket_files;

  bool by_bucket() const { return !bucket_files.empty(); }
  // The files of the listed buckets, or of the others (`listed` false), as (bucket, absolute file).
  std::vector<std::pair<std::string, std::string>> Files(const std::vector<std::string>& buckets, bool listed) const;
  // The rows of those files (by_bucket() only); a relation with the base's columns and no rows when there are none.
  std::string Buckets(const std::vector<std::string>& buckets, bool listed) const;
};

// Opens the base kept at lake-relative `path` (a file or a bucket folder) below `folder`, as temp view `view`.
// nullopt when the path is outside `folder` (an edited state), gone, or an empty folder.
std::optional<KeptRollupBase> OpenRollupBase(engine::Connection& connection, const lake::Catalog& catalog,
                                             const std::string& folder, const std::string& path,
                                             const std::string& view);

struct RollupBaseToKeep {
  std::string relation;  // the rows to write
  // By bucket: a relation of (id_column, __cdmlake_bucket) giving each row's bucket through its id; "" to keep
  // the base in one file.
  std::string buckets;
  std::string id_column;
  // Files of the previous base kept as they are: (bucket, absolute file). Their buckets are not in `relation`.
  std::vector<std::pair<std::string, std::string>> carried;
};

// Writes a base below `folder` under a new name starting with `name` (the previous one stays until the new state
// no longer names it) and returns its lake-relative path. The folder of a bucketed base is written under a
// temporary name and renamed when complete.
std::string KeepRollupBase(engine::Connection& connection, const lake::Catalog& catalog, const std::string& folder,
                           const std::string& name, const RollupBaseToKeep& base);

// Removes every base below `folder` but the lake-relative paths in `keep` (leftovers of failed runs included).
void PruneRollupBases(const lake::Catalog& catalog, const std::string& folder, const std::vector<std::string>& keep);

}  // namespace cdmlake::entitystore
