// Reading the files that `cdmlake lake refresh` applies: the SQL that reads change files with explicit columns
// and the name of the file each row came from, the scan of a table's snapshot (its raw files, as a session
// reads them), a small CSV record scanner used only to point an error at the exact line of a bad row, and the
// translation of DuckDB's CSV errors into errors naming the file and line.
//
// The heavy lifting is done by DuckDB; the C++ scanner runs on an error path, or over the small append-only
// files of Synapse Link whose rows may differ in width within one file. Pure functions and functions reading
// through a FileSystem; thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cdm/model.h"
#include "engine/database.h"
#include "lake/catalog.h"

namespace cdmlake::lake {

// The identity of a file when refresh last used it: a file whose size and modification time are unchanged is
// taken to be unchanged (the catalog cache makes the same assumption).
struct FileStamp {
  std::string path;       // lake-relative
  int64_t size = -1;
  int64_t mtime_ns = 0;
  int64_t rows = -1;      // rows read from it (-1: not counted)

  bool SameContent(const FileStamp& other) const { return size == other.size && mtime_ns == other.mtime_ns; }
};

// The stamp of the lake-relative file path. Throws Error(kData) naming the file when it does not exist.
FileStamp StampFile(FileSystem& fs, const std::string& lake_root, const std::string& path);

// A column as read from a CSV file: its name and the DuckDB type it is parsed as.
struct CsvColumn {
  std::string name;
  std::string type;
};

// The name of the column that read_csv adds with the file each row came from.
inline constexpr const char* kFileColumn = "__cdmlake_file";

// read_csv(...) of files (absolute paths) with exactly these columns, every setting explicit (as for entity
// views), plus the column kFileColumn. null_padding: rows narrower than the columns read NULL for the missing
// ones (the reader then runs single-threaded, which DuckDB needs for quoted line breaks with padding).
std::string ReadCsvSql(const std::vector<std::string>& files, const std::vector<CsvColumn>& columns,
                       const cdm::CsvFormat& csv, bool null_padding);

// A data file of a change source, with its CSV settings and the fields of its first record.
struct SourceFile {
  std::string path;  // lake-relative
  cdm::CsvFormat csv;
  int width = -1;  // fields of the first record; -1 when the file has none
};

// Probes the lake-relative files (their width and record ends, see csv_probe.h).
std::vector<SourceFile> ProbeSourceFiles(FileSystem& fs, const std::string& lake_root,
                                         const std::vector<std::pair<std::string, cdm::CsvFormat>>& files);

// Groups files that can be read by one read_csv call: same settings and, unless padded, the same width.
struct SourceGroup {
  cdm::CsvFormat csv;
  int width = -1;
  std::vector<std::string> files;  // absolute
};
std::vector<SourceGroup> GroupSourceFiles(const std::vector<SourceFile>& files, const std::string& lake_root,
                                          bool by_width);

// The SQL (a SELECT) that reads an entity's raw data files as a session does without refresh state, and the
// stamps of those files. Throws Error(kData) naming the manifest when a listed file is missing or the
// partitions cannot be listed.
std::string EntitySnapshotSql(const Catalog& catalog, const cdm::Entity& entity, std::vector<FileStamp>* stamps);

// One CSV field as the scanner sees it: its text without quotes and whether it was quoted.
struct CsvField {
  std::string text;
  bool quoted = false;
};

// Calls visit(fields, line) for every record of text (after a header and skip_lines), line being the 1-based
// physical line where the record starts; stops when visit returns false. Follows RFC 4180 with the given
// delimiter, quote and escape; a quoted value may span lines.
void ForEachCsvRecord(std::string_view text, const cdm::CsvFormat& csv,
                      const std::function<bool(const std::vector<CsvField>& fields, int64_t line)>& visit);

// The line of the first record of the file (absolute path) for which match returns true, skipping the first
// `skip_records` records; 0 when there is none or the file cannot be read. Used to make error messages exact.
int64_t FindRecordLine(FileSystem& fs, const std::string& path, const cdm::CsvFormat& csv,
                       const std::function<bool(const std::vector<CsvField>&)>& match, int64_t skip_records = 0);

// Turns a DuckDB error met while reading lake files into an Error naming the lake-relative file, the physical
// line and the entity ("CSV Error on Line: N" is a record number), prefixed with `what` ("cannot read the
// change file"). Other errors keep their message, prefixed with `what`.
Error ExplainReadError(const engine::EngineError& error, FileSystem& fs, const std::string& lake_root,
                       const cdm::CsvFormat& csv, const std::string& entity, const std::string& what);

// Runs sql; a DuckDB error becomes ExplainReadError(...).
void ExecuteReading(engine::Connection& connection, const std::string& sql, FileSystem& fs,
                    const std::string& lake_root, const cdm::CsvFormat& csv, const std::string& entity,
                    const std::string& what);

// The lake-relative form of an absolute path below the lake root (the path itself otherwise).
std::string LakeRelative(const std::string& lake_root, const std::string& path);

}  // namespace cdmlake::lake
