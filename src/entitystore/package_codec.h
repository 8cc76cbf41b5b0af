// Storing an imported MetadataPackage as JSON text, so that the measurement can be kept in the lake
// (`_cdmlake/entitystore/<Measurement>.json`) and reused without the original EMEX zip or AOT XML.
//
// The encoding is lossless: DecodePackage(EncodePackage(p)) equals p, field for field, including SourceRefs,
// warnings and absent (null) measure names. The text is deterministic (maps in key order, fields in a fixed
// order) and starts with a format name and version; a reader refuses a newer version.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "entitystore/metadata.h"

namespace cdmlake::entitystore {

// The version EncodePackage writes. Bump it when the layout changes incompatibly.
inline constexpr int kPackageCodecVersion = 1;

// The package as indented JSON text (UTF-8, LF line ends, a final newline).
std::string EncodePackage(const MetadataPackage& package);

// Parses text written by EncodePackage; `file` names it in errors. Members missing from the text take their
// defaults (so older writers that knew fewer fields can be read). Throws Error(kData) naming file (and the line
// for malformed JSON) when the text is not JSON, not a cdmlake package, of a newer version, or a member has the
// wrong type.
MetadataPackage DecodePackage(std::string_view text, const std::string& file);

}  // namespace cdmlake::entitystore
