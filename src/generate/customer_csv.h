// A streaming CSV table writer for the customer generator: rows are formatted field by field into a buffer that
// is handed to the file in chunks of about 1 MiB, and a new numbered file (<PREFIX>_00001.csv, ...) is started
// every rows_per_file rows, as the F&O export does. Memory is the buffer, whatever the number of rows.
//
// Thread-compatible: one writer per table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/file_system.h"

namespace cdmlake::generate {

struct WrittenTable {
  int64_t rows = 0;
  std::vector<std::string> files;  // relative to the writer's root, e.g. "contact/CONTACT_00001.csv"
  uint64_t bytes = 0;
};

class CsvTableWriter {
 public:
  // Writes below root/folder; header (without line break) starts every file when not empty.
  CsvTableWriter(FileSystem& fs, std::string root, std::string folder, std::string prefix, std::string header,
                 int64_t rows_per_file);
  CsvTableWriter(const CsvTableWriter&) = delete;
  CsvTableWriter& operator=(const CsvTableWriter&) = delete;

  // Field appenders: each adds one field and its separator; EndRow ends the record.
  void Quoted(std::string_view s);  // always quoted, quotes doubled (the F&O export's style)
  void Text(std::string_view s);    // quoted only when it holds a comma, quote or line break
  void Empty() { buffer_.push_back(','); }
  void Int(int64_t v);
  void Cents(int64_t cents);  // a decimal with two fraction digits, e.g. 12.50
  // For a field formatted in place: append to Raw() and call EndField().
  std::string& Raw() { return buffer_; }
  void EndField() { buffer_.push_back(','); }
  void EndRow();

  // Flushes and closes the last file and removes files of an earlier, larger run (our own naming only).
  WrittenTable Finish();

 private:
  void OpenFile();
  void Flush();
  void CloseFile();

  FileSystem& fs_;
  std::string root_, folder_, prefix_, header_;
  int64_t rows_per_file_;
  std::unique_ptr<WritableFile> file_;
  std::string buffer_;
  int64_t rows_in_file_ = 0;
  WrittenTable written_;
};

}  // namespace cdmlake::generate
