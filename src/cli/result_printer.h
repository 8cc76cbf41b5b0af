// Writes query results for people and for scripts: an aligned table for a terminal, CSV with a header row
// (RFC 4180), or JSON (an array of row objects, numbers and booleans unquoted). Results are streamed chunk by
// chunk; the table format sizes its columns from the first rows and lets longer values overflow. Not thread-safe.
#pragma once

#include <cstdio>
#include <string>

#include "engine/database.h"

namespace cdmlake::cli {

enum class OutputFormat { kTable, kCsv, kJson };

// Parses "table", "csv" or "json".
OutputFormat ParseOutputFormat(const std::string& text);

// Prints all rows of result to out; returns the number of rows.
int64_t PrintResult(engine::Result& result, OutputFormat format, std::FILE* out);

// Quotes a CSV field when it holds a delimiter, quote or line break.
std::string CsvField(const std::string& value);
// A JSON string literal.
std::string JsonString(const std::string& value);

}  // namespace cdmlake::cli
