// The parts of an error of DuckDB's CSV reader ("CSV Error on Line: N", the file, the reason, the original row),
// so that cdmlake can say which file and line is wrong without DuckDB's advice about read_csv options that cdmlake
// sets itself. Used by the lake session (lake tables) and by unification's CSV sources.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cdmlake::lake {

struct CsvErrorDetail {
  int64_t line = 0;      // as DuckDB counts it: the record, header included (0 when not given)
  std::string file;      // the file DuckDB names ("" when it names none)
  std::string reason;    // "Expected Number of Columns: 4 Found: 5", "Value with unterminated quote found."...
  std::string original;  // the row as DuckDB shows it, on one line (line breaks written \n), cut to 200 bytes
};

// nullopt when the message is not a CSV reader error with a line.
std::optional<CsvErrorDetail> ParseCsvError(const std::string& message);

}  // namespace cdmlake::lake
