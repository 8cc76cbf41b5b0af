// Writes a synthetic Dynamics 365 Finance & Operations "Export to Data Lake" folder: a CDM manifest tree over
// eight related tables (customers, parties, addresses, products, items, sales orders and their lines) with
// header-less CSV partitions, for the demo, the tests and the benchmarks.
//
// The data is fake but shaped like the real export, including the cases that break naive readers: strings
// with commas, doubled quotes and line breaks inside quotes, empty strings, non-ASCII UTF-8, F&O's empty date
// 1900-01-01T00:00:00.0000000 (without Z), enums declared as constrained lists, a leaf whose entity documents
// sit in a resolved/ subfolder, and a table declared by a partition pattern instead of explicit partitions.
// Output is a pure function of the options: the same seed writes byte-identical files on every machine (no
// clock, no std::random_device, no implementation-defined distributions).
//
// Thread-safety: GenerateD365Lake may run concurrently with itself for different out_dirs, if the FileSystem
// allows that; it keeps no global state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/file_system.h"
#include "util/progress.h"

namespace cdmlake::generate {

struct D365LakeOptions {
  std::string out_dir;    // absolute path of the lake root to create (created if missing)
  int64_t scale = 10000;  // number of SalesLine rows (exact); the other tables are sized from it
  uint64_t seed = 42;
};

struct GeneratedTable {
  std::string name;    // e.g. "SalesLine"
  // The lake-relative folder of its manifest, e.g. "Tables/SupplyChain/SalesAndMarketing/WorksheetLine".
  std::string folder;
  int64_t rows = 0;
  int partitions = 0;
};

struct D365LakeSummary {
  std::vector<GeneratedTable> tables;  // in the order they were written
  uint64_t bytes_written = 0;          // data, entity documents and manifests
};

// The largest scale GenerateD365Lake accepts (each table's RECIDs live in their own range of this size).
inline constexpr int64_t kMaxD365LakeScale = 10'000'000'000;

// Writes the lake below options.out_dir: data partitions first, then entity documents and manifests (each
// replaced atomically), so a reader never finds a manifest pointing at a partition that is not there yet.
// Existing files are overwritten; stale partitions of a previous, larger run (files named like ours, e.g.
// SALESLINE_00007.csv, in our table folders) are removed so the InventTable partition pattern stays exact.
// Throws Error(kUser) for bad options (empty out_dir, scale < 1 or > kMaxD365LakeScale) and Error(kIo) when a
// write fails. progress may be null; when set, progress->Add(n) is called as rows are written, adding up to
// D365LakeRowCount(options.scale).
D365LakeSummary GenerateD365Lake(FileSystem& fs, const D365LakeOptions& options, Progress* progress);

// The total number of rows GenerateD365Lake writes for this scale (over all tables), e.g. for a progress
// total. Returns 0 for scale < 1.
int64_t D365LakeRowCount(int64_t scale);

}  // namespace cdmlake::generate
