// Reading views\dependencies.csv, the list of D365 SQL view definitions in an EMEX package (spec §2.3).
//
// EMEX writes the file by string concatenation: header `ViewName,RootViewName,ParentViewName,Definition`, every
// field wrapped in '"', embedded quotes NOT escaped, and the Definition holding raw multi-line T-SQL with CRLF
// inside the quotes. A plain RFC-4180 parser fails on the first T-SQL quoted identifier, so this reader decides
// where a quoted field ends by what follows a quote:
//   * a field before the last one ends at a '"' followed by ',';
//   * the last field ends at a '"' followed by the end of the file, or by a line break and then the start of
//     another record (a line starting `"<name>",` or `<name>,`) or only blank lines;
//   * any other '"' is content, except that a doubled "" (RFC-4180 escape) is read as one quote.
// Files written by an RFC-4180 writer (doubled quotes, unquoted simple fields) read the same way.
// Columns are bound by header name (case-insensitive), as ESYN's CsvHelper does.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "entitystore/metadata.h"

namespace cdmlake::entitystore {

// Parses the text of a dependencies.csv (a UTF-8 BOM is skipped). `file` names the file in SourceRefs and
// errors. Each ViewDefinition's source is `file` and the 1-based physical line where its record starts.
// Blank lines between records are skipped. Throws Error(kData) naming file and line for a missing column in
// the header, an unterminated quoted field, or a record with a different number of fields than the header.
std::vector<ViewDefinition> ParseDependenciesCsv(std::string_view text, const std::string& file);

// Writes definitions in the same layout as EMEX (every field quoted, CRLF records), but with embedded quotes
// doubled (RFC-4180), so ParseDependenciesCsv reads back the same values.
std::string FormatDependenciesCsv(const std::vector<ViewDefinition>& definitions);

}  // namespace cdmlake::entitystore
