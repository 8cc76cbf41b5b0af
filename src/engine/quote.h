// SQL quoting helpers. Every piece of SQL that cdmlake assembles from metadata or user input goes through these:
// identifiers from CDM metadata are always quoted, values are always literals. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cdmlake::engine {

// "name" with embedded double quotes doubled. Throws Error(kData) on an empty name or a NUL byte.
std::string QuoteIdentifier(std::string_view name);
// "schema"."name".
std::string QuoteQualified(std::string_view schema, std::string_view name);
// 'text' with embedded single quotes doubled. Throws Error(kData) on a NUL byte.
std::string QuoteLiteral(std::string_view text);
// ['a', 'b'] — a DuckDB list literal of strings.
std::string QuoteLiteralList(const std::vector<std::string>& items);
// A literal naming exactly one file for DuckDB's readers (read_csv, read_parquet), which take names as glob
// patterns: the glob characters * ? [ ] of the path are escaped as one-character classes ([*] ...).
std::string QuoteFilePath(std::string_view path);
// ['a', 'b'] of file paths, each escaped as in QuoteFilePath.
std::string QuoteFilePathList(const std::vector<std::string>& paths);

}  // namespace cdmlake::engine
