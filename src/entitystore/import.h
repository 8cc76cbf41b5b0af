// The one entry point for importing measurement metadata: decides whether a path is an EMEX package or AOT XML
// and calls the matching reader (emex_reader.h, aot_xml_reader.h).
//
//   * a zip (any extension except .axpp) holding measurement.json at its root: EMEX;
//   * an .axpp file, a zip without measurement.json, or a folder: AOT XML.
//
// Thread-safety: reentrant.
#pragma once

#include <string>

#include "entitystore/metadata.h"

namespace cdmlake::entitystore {

// Imports the metadata of one measurement from path. `measurement` may be empty: an EMEX package holds exactly
// one measurement, and AOT XML with a single AxAggregateMeasurement takes that one. When given for an EMEX
// package, it must match the package's measurement (case-insensitive).
// Throws Error(kIo) when path does not exist or cannot be read; Error(kUser) when the measurement is not there,
// is ambiguous, or does not match the package; Error(kData) for a file that is neither a folder nor a zip, and
// for malformed metadata (see the readers).
MetadataPackage ImportMetadata(const std::string& path, const std::string& measurement);

}  // namespace cdmlake::entitystore
