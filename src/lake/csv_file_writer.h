// CSV written by cdmlake itself, without DuckDB, for entities whose rows cdmlake makes in memory
// (CdmFolderWriter::AddRows). The dialect is the one of the lake's CSV partitions that DuckDB's COPY writes
// (cdm_folder_writer.cc): a header row, ',' between fields, '\n' after each row, '"' as quote and as escape,
// NULL as an empty field and the empty string as "" (so that DuckDB's read_csv and Spark tell them apart).
// A field is quoted exactly when DuckDB 1.4's writer quotes it, so the files are byte-identical to its: when it
// contains ',', '"', '\n', '\r' or '#' (DuckDB's default comment character), or is empty. Leading or trailing
// spaces are not quoted (DuckDB does not; its reader and Spark keep them either way), nor is non-ASCII text.
//
// Thread-safety: the functions are pure; a CsvPartitionWriter belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lake/row_source.h"
#include "util/file_system.h"

namespace cdmlake::lake {

// Whether `value` (not NULL) must be written in quotes.
bool CsvNeedsQuotes(std::string_view value);
// Appends one field: `value` quoted (with '"' doubled) when CsvNeedsQuotes, else as is.
void AppendCsvField(std::string* out, std::string_view value);
// Appends a row of cells (a NULL cell is an empty field) and its '\n'.
void AppendCsvRow(std::string* out, const RowCells& cells);
// Appends a header row of column names.
void AppendCsvHeader(std::string* out, const std::vector<std::string>& names);

// Writes rows as CSV partition files <folder>/<stem>-0.csv, <stem>-1.csv, ... (the names DuckDB's COPY gives with
// FILENAME_PATTERN '<stem>-{i}'). A new file is started before a row when the current one has reached
// `max_file_bytes` (DuckDB checks after each chunk of 2048 rows, so its files overshoot the limit by up to a
// chunk, these by up to a row); every file has the header. No rows still writes one file with the header, as
// DuckDB does. Every file is synced and closed by Finish. Errors throw Error(kIo).
class CsvPartitionWriter {
 public:
  // header: the column names, or empty for no header row. `folder` must exist.
  CsvPartitionWriter(FileSystem& fs, std::string folder, std::string stem, std::vector<std::string> header,
                     uint64_t max_file_bytes);
  CsvPartitionWriter(const CsvPartitionWriter&) = delete;
  CsvPartitionWriter& operator=(const CsvPartitionWriter&) = delete;
  ~CsvPartitionWriter();

  void Append(const RowCells& cells);
  // Flushes, syncs and closes the last file. Returns every file's name (without the folder), in order.
  std::vector<std::string> Finish();
  int64_t rows() const { return rows_; }

 private:
  void StartFile();
  void Flush();

  FileSystem& fs_;
  std::string folder_;
  std::string stem_;
  std::string header_;  // the header row's text ("" for none)
  uint64_t max_file_bytes_;
  std::unique_ptr<WritableFile> file_;
  std::vector<std::string> files_;
  std::string buffer_;        // rows not yet handed to file_
  uint64_t file_bytes_ = 0;   // bytes of the current file, including buffer_
  bool file_has_rows_ = false;
  int64_t rows_ = 0;
};

}  // namespace cdmlake::lake
