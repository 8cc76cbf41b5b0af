// A sample aggregate measurement over the tables of the synthetic D365 lake (d365_lake.h), written in the two
// forms cdmlake imports: an EMEX package (the zip Microsoft's EntityStoreMetadataExporter writes, spec
// ../shared/specs/entity-store.md §2) and the same metadata as AOT XML (a PackagesLocalDirectory-like folder,
// its .axpp-like zip, and a dump of the AXDB view definitions, spec §2.5 and §6.4).
//
// The measurement, SalesAnalysis, is built to exercise what real packages contain: two measure groups (one over
// a view at the top of a chain of three D365-style T-SQL views, one over a plain table), every DefaultAggregate,
// composite-key dimension relations, a role-playing date dimension (Date_) that is deliberately missing from the
// package (the platform dimension a user's package lacks), enum-typed fields with their translation files, and
// view definitions written like AXDB's (bracketed names, CROSS JOIN plus WHERE, PARTITION#2 aliases, N'' literals,
// CAST/CONVERT with style codes, ISNULL, GetValid*InContextInfo, UNION ALL of typed literals, STUFF(... FOR XML
// PATH ...), reserved-word columns, date minus integer). The views compute plain things on the generated data,
// and every dimension key is unique in its view for every scale and seed.
//
// Output is a pure function of the seed: zip timestamps and the manifest's GeneratedAt derive from it, never
// from the clock. Thread-safety: no global mutable state; concurrent calls for different out_dirs are fine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/file_system.h"

namespace cdmlake::generate {

inline constexpr const char* kSampleMeasurementName = "SalesAnalysis";

struct SampleMeasurementOptions {
  std::string out_dir;  // absolute path of the lake root; files go to <out_dir>/EntityStore/
  uint64_t seed = 42;   // only the timestamps depend on it
};

struct SampleMeasurementSummary {
  std::string package_path;              // <out>/EntityStore/SalesAnalysis.zip (EMEX format)
  std::string aot_dir;                   // <out>/EntityStore/SalesAnalysis-aot (AOT XML plus ViewDefinitions/*.sql)
  std::string axpp_path;                 // <out>/EntityStore/SalesAnalysis.axpp (a zip of the AOT XML folders)
  std::vector<std::string> files;        // every file written (absolute paths), sorted
  std::vector<std::string> zip_entries;  // the EMEX package's entry names (backslash separated), in zip order
  uint64_t bytes_written = 0;
};

// One D365 SQL view of the sample, as AXDB's sys.sql_modules holds it.
struct SampleView {
  std::string name;        // upper case, e.g. "SALESLINECUBEVIEW"
  std::string definition;  // "CREATE VIEW [dbo].[NAME] AS SELECT ..." with CRLF line breaks
};

// The names of the sample's elements, for tests and for the integration of the Entity Store processor.
struct SampleMeasurementElements {
  std::vector<std::string> measure_groups;  // "SalesLines", "SalesOrders"
  std::vector<std::string> dimensions;  // the AxAggregateDimensions in the package: Customer, Product, CustomerGroup
  std::string missing_dimension;        // "Date_": referenced, deliberately not in the package
  std::vector<std::string> views;       // SQL views in creation order (dependencies before dependents)
  std::vector<std::string> tables;      // the AXDB tables read, upper case, sorted (tables\tables.csv)
  std::vector<std::string> enums;       // the AxEnums, e.g. "SalesStatus"
  std::vector<std::string> enum_files;  // EMEX enum entries, e.g. "SALESLINECUBEVIEW_SALESSTATUS"
};

const SampleMeasurementElements& SampleElements();

// The view definitions (AXDB form: CREATE VIEW, GetValid*InContextInfo), dependencies before dependents.
const std::vector<SampleView>& SampleViews();

// Writes <out_dir>/EntityStore/SalesAnalysis.zip, SalesAnalysis.axpp and the SalesAnalysis-aot/ folder
// (replacing files of an earlier run; each file is replaced atomically). Throws Error(kUser) for a relative or
// empty out_dir, Error(kIo) when a write fails, Error(kInternal) if libzip fails to build a zip in memory.
SampleMeasurementSummary WriteSampleMeasurement(FileSystem& fs, const SampleMeasurementOptions& options);

}  // namespace cdmlake::generate
