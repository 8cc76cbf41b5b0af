// Reading one aggregate measurement from AOT XML (spec §6.4) into the same MetadataPackage an EMEX package
// gives, so that everything downstream treats both formats alike.
//
// The input is a folder laid out like PackagesLocalDirectory (any depth: element files live in folders named
// after their type, AxAggregateMeasurement/, AxAggregateDimension/, AxView/, AxDataEntityView/, AxTable/,
// AxEnum/, AxQuery/ or AxQuerySimple/, AxTableExtension/, AxEnumExtension/), or a zip holding such files (an
// .axpp). Files are indexed by folder and file name and parsed only when reached from the measurement: its
// measure-group tables and dimensions, their tables, views and data entities, and the data sources and queries
// behind those, recursively (the same closure EMEX exports, §2.5). Element names in XML are matched by local
// name, so namespace prefixes do not matter. Enum translations are derived as EMEX does (§2.5 step 2): for each
// field of a measure-group or dimension table whose (view fields followed to their source) table field has an
// EnumType, with the values of that AxEnum and its extensions.
//
// AOT XML holds no SQL. D365 view definitions come from a dump of AXDB's sys.sql_modules: `.sql` files (one
// `CREATE VIEW` each, named <VIEW>.sql) in a folder named ViewDefinitions/, and/or a dependencies.csv in EMEX's
// format, anywhere in the input. The package keeps the definitions reachable from its views (by scanning each
// definition for names of other definitions), ordered so that a view comes after the views it references.
//
// Thread-safety: the functions are reentrant; a ZipArchive or FileSystem passed in must allow the reads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "entitystore/metadata.h"
#include "entitystore/zip_archive.h"
#include "util/file_system.h"

namespace cdmlake::entitystore {

// Reads the measurement named measurement_name (case-insensitive) from a folder or a zip file at path. An empty
// name takes the only measurement there is. The result has format kAotXml and origin path.
// Throws Error(kUser) when the measurement is not there (the message lists the available ones) or the name is
// empty and there are several; Error(kData) for malformed XML (naming the file and line) or a cycle among view
// definitions; Error(kIo) when files cannot be read. Elements that cannot be found (a table missing from the
// input, an unknown enum) are warnings.
MetadataPackage ReadAotXml(const std::string& path, const std::string& measurement_name);
// The same for an archive already open; origin is the archive's path().
MetadataPackage ReadAotXml(const ZipArchive& zip, const std::string& measurement_name);
// The same for a folder read through fs (tests use a MemoryFileSystem).
MetadataPackage ReadAotXmlFolder(FileSystem* fs, const std::string& dir, const std::string& measurement_name);

// The names of the AxAggregateMeasurement files (file names without .xml) in a folder or zip, sorted.
std::vector<std::string> ListAotMeasurements(const std::string& path);
std::vector<std::string> ListAotMeasurements(const ZipArchive& zip);

// The names a T-SQL text refers to: identifiers (bare, [bracketed] or "quoted"), upper-cased, once each, in
// order of first appearance; string literals and comments are skipped. Parts of dotted names come separately
// ("dbo.CUSTTABLE" gives DBO and CUSTTABLE), which is enough to find references among known view names.
std::vector<std::string> ReferencedNames(std::string_view sql);

// Orders view definitions for creation: the definitions reachable from `roots` (names, any case; roots without
// a definition are ignored), each after the definitions it references (ReferencedNames matched against the
// view names of `definitions`). root_view_name and parent_view_name are set to the root and the referencing
// view that first reached a definition (empty parent for a root). Throws Error(kData) naming the cycle
// ("A -> B -> A") when definitions reference each other in a cycle.
std::vector<ViewDefinition> OrderViewDefinitions(const std::vector<ViewDefinition>& definitions,
                                                 const std::vector<std::string>& roots);

}  // namespace cdmlake::entitystore
