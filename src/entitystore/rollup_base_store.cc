#include "entitystore/rollup_base_store.h"

#include <algorithm>
#include <chrono>

#include "engine/quote.h"
#include "lake/refresh_io.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

using engine::QuoteIdentifier;

// Bucket values are months ("2024-05") or "none"; a folder named otherwise was not written by us.
bool PlainBucket(const std::string& bucket) {
  return !bucket.empty() && std::all_of(bucket.begin(), bucket.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
  });
}

std::string ReadParquet(const std::vector<std::string>& files) {
  // The folders are named like Hive partitions; their bucket is not a column of the base.
  return "read_parquet(" + engine::QuoteFilePathList(files) + ", hive_partitioning = false)";
}

std::string Stamp() {
  return std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

}  // namespace

std::vector<std::pair<std::string, std::string>> KeptRollupBase::Files(const std::vector<std::string>& buckets,
                                                                        bool listed) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [bucket, paths] : bucket_files) {
    const bool in = std::find(buckets.begin(), buckets.end(), bucket) != buckets.end();
    if (in != listed) continue;
    for (const auto& path : paths) out.emplace_back(bucket, path);
  }
  return out;
}

std::string KeptRollupBase::Buckets(const std::vector<std::string>& buckets, bool listed) const {
  std::vector<std::string> files;
  for (const auto& [bucket, path] : Files(buckets, listed)) files.push_back(path);
  if (files.empty()) return "(SELECT * FROM " + relation + " LIMIT 0)";
  return ReadParquet(files);
}

std::optional<KeptRollupBase> OpenRollupBase(engine::Connection& connection, const lake::Catalog& catalog,
                                             const std::string& folder, const std::string& path,
                                             const std::string& view) {
  FileSystem& fs = catalog.fs();
  // The state names a file or folder of our own; anything else (an edited state) is ignored, never read.
  const std::string base_path = NormalizePath(JoinPath(catalog.lake_root(), path));
  if (!IsWithin(NormalizePath(folder), base_path)) return std::nullopt;
  const std::optional<FileInfo> info = fs.Stat(base_path);
  if (!info) return std::nullopt;
  KeptRollupBase base;
  std::vector<std::string> files;
  if (info->is_directory) {
    const std::string prefix = std::string(kRollupBucketColumn) + "=";
    for (const FileInfo& entry : fs.ListDirectory(base_path)) {
      const std::string bucket = entry.name.substr(std::min(prefix.size(), entry.name.size()));
      if (!entry.is_directory || entry.name.rfind(prefix, 0) != 0 || !PlainBucket(bucket)) return std::nullopt;
      for (const FileInfo& file : fs.ListDirectory(JoinPath(base_path, entry.name))) {
        if (file.is_directory) return std::nullopt;
        const std::string file_path = JoinPath(JoinPath(base_path, entry.name), file.name);
        base.bucket_files[bucket].push_back(file_path);
        files.push_back(file_path);
      }
    }
    if (files.empty()) return std::nullopt;
  } else {
    files.push_back(base_path);
  }
  connection.Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(view) + " AS SELECT * FROM " +
                     ReadParquet(files));
  base.relation = "temp." + QuoteIdentifier(view);
  return base;
}

std::string KeepRollupBase(engine::Connection& connection, const lake::Catalog& catalog, const std::string& folder,
                           const std::string& name, const RollupBaseToKeep& base) {
  FileSystem& fs = catalog.fs();
  fs.CreateDirectories(folder);
  const std::string target = JoinPath(folder, SafeFileName(name) + "-" + Stamp());
  if (base.buckets.empty()) {
    const std::string file = target + ".parquet", temp = file + ".tmp";
    connection.Execute("COPY (SELECT * FROM " + base.relation + ") TO " + engine::QuoteFilePath(temp) +
                       " (FORMAT parquet)");
    fs.Rename(temp, file);
    return lake::LakeRelative(catalog.lake_root(), file);
  }
  const std::string temp = target + ".tmp";
  const std::string id = QuoteIdentifier(base.id_column), bucket = QuoteIdentifier(kRollupBucketColumn);
  connection.Execute("COPY (SELECT b.*, coalesce(k." + bucket + ", 'none') AS " + bucket + " FROM " +
                     base.relation + " AS b LEFT JOIN " + base.buckets + " AS k ON b." + id + " = k." + id + ") TO " +
                     engine::QuoteFilePath(temp) + " (FORMAT parquet, PARTITION_BY (" + bucket + "))");
  fs.CreateDirectories(temp);  // no rows: COPY made no folder
  for (const auto& [carried_bucket, file] : base.carried) {
    const std::string bucket_folder = JoinPath(temp, std::string(kRollupBucketColumn) + "=" + carried_bucket);
    fs.CreateDirectories(bucket_folder);
    // Throws when the file exists: a carried bucket must not also have been written.
    fs.LinkFile(file, JoinPath(bucket_folder, BaseName(file)));
  }
  fs.Rename(temp, target);
  return lake::LakeRelative(catalog.lake_root(), target);
}

void PruneRollupBases(const lake::Catalog& catalog, const std::string& folder, const std::vector<std::string>& keep) {
  FileSystem& fs = catalog.fs();
  if (!fs.Stat(folder)) return;
  for (const FileInfo& entry : fs.ListDirectory(folder)) {
    const std::string path = JoinPath(folder, entry.name);
    if (std::find(keep.begin(), keep.end(), lake::LakeRelative(catalog.lake_root(), path)) != keep.end()) continue;
    if (entry.is_directory) {
      fs.RemoveAll(path);
    } else {
      fs.RemoveFile(path);
    }
  }
}

}  // namespace cdmlake::entitystore
