// Looks at the first record of a CSV file to learn how many fields its rows have.
//
// D365 F&O rewrites only the files whose rows changed after a column was added, so older files are narrower
// than the entity. DuckDB's null_padding would read such files, but its parallel reader refuses null_padding
// when values contain line breaks (which addresses do). Reading each file with exactly the columns it has, and
// NULL for the rest, keeps the parallel reader. Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "cdm/model.h"
#include "util/file_system.h"

namespace cdmlake::lake {

struct CsvShape {
  int width = -1;        // fields of the first record; -1 when the file has no complete record in the probe
  std::string newline;   // how that record ends: "\n", "\r\n", or "" when unknown
};

// The shape of the first record (after skip_lines) of the CSV file at absolute path, honouring quotes (a quoted
// field may span lines, and may hold a CRLF in a file whose records end with LF).
CsvShape ProbeCsvFile(FileSystem& fs, const std::string& path, const cdm::CsvFormat& csv);

// The same for text already in memory (exposed for tests).
CsvShape ProbeCsvText(const std::string& text, const cdm::CsvFormat& csv);

// The 1-based physical line on which the record-th record (1-based, as DuckDB counts them: a value with line
// breaks counts once) starts, or 0 when the file has fewer records. Reads the file up to that record; used only
// to make an error message exact.
int64_t PhysicalLineOfRecord(FileSystem& fs, const std::string& path, const cdm::CsvFormat& csv, int64_t record);
int64_t PhysicalLineOfRecordInText(const std::string& text, const cdm::CsvFormat& csv, int64_t record);
// The physical lines of several records (sorted ascending) in one pass; 0 for records past the end.
std::vector<int64_t> PhysicalLinesOfRecordsInText(const std::string& text, const cdm::CsvFormat& csv,
                                                  const std::vector<int64_t>& sorted_records);

}  // namespace cdmlake::lake
