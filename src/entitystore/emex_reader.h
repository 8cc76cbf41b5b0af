// Reading an EMEX metadata package (EntityStoreMetadataExporter's zip, spec §2) into a MetadataPackage.
//
// The zip holds Newtonsoft serialisations of D365 metadata: measurement.json, dimensions\<NAME>.json,
// views\<NAME>.json and views\dependencies.csv, queries\<NAME>.json, tables\tables.csv and tables\<NAME>.json,
// enums\<TABLE>_<FIELD>.json. The reader accepts what such files look like in practice: backslash entry names,
// a UTF-8 BOM, CRLF, property names in any case, enums as integers or as names, and omitted properties (which
// take the defaults documented in metadata.h). What it does not judge: a measure group that references a
// dimension without a dimensions\<NAME>.json is read without complaint (EMEX skips a dimension whose Table an
// earlier dimension already used, spec §2.2); MissingDimensions lists those, and the star-schema builder
// reports them.
//
// Thread-safety: the functions are reentrant; a ZipArchive passed in must not be used by another thread.
#pragma once

#include <string>
#include <vector>

#include "entitystore/metadata.h"
#include "entitystore/zip_archive.h"

namespace cdmlake::entitystore {

// How integer DefaultAggregate values are read. The integer codes of D365's aggregate enum are unverified
// (spec §2.4); the default table is kDefaultAggregateCodes in emex_reader.cc.
struct EmexOptions {
  // aggregate_codes[i] is the aggregate written as the integer i. An integer outside the table reads as Count
  // with a warning.
  std::vector<Aggregate> aggregate_codes;

  EmexOptions();
};

// Reads the EMEX package at zip_path. The result has format kEmex and origin zip_path; SourceRefs name
// "<zip_path>:<entry>" and, for measure groups and dimensions, the line of their Name in the JSON.
// Throws Error(kIo) when the file cannot be read; Error(kData) when it is not a zip, has no measurement.json,
// or holds malformed JSON or CSV (the message names "<zip>:<entry>" and the line; the column for JSON).
// Non-fatal findings (a `null` view file, integer aggregate codes, an unknown aggregate name) go to warnings.
MetadataPackage ReadEmexPackage(const std::string& zip_path, const EmexOptions& options = EmexOptions());
// The same for an archive already open (tests build packages in memory). origin is the archive's path().
MetadataPackage ReadEmexPackage(const ZipArchive& zip, const EmexOptions& options = EmexOptions());

// The DimensionName of every dimension reference of the measurement that has no entry in package.dimensions,
// once each, in order of first reference.
std::vector<std::string> MissingDimensions(const MetadataPackage& package);

}  // namespace cdmlake::entitystore
