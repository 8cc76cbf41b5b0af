// Reading CSV text (RFC 4180) one record at a time: the header row of a source file, which gives the columns a
// configuration is validated against, and the small list files of a configuration (custom match pairs, aliases,
// bypass values). Pure functions over text plus one FileSystem read; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/file_system.h"

namespace cdmlake::unify {

// Reads the record that starts at *pos of `text` (comma-separated; fields may be quoted with '"', a quote inside
// one doubled; quoted fields may hold line breaks; records end with LF or CRLF or at the end). On success fills
// *fields, moves *pos past the record's line break, adds the line breaks consumed to *line and returns true. On
// malformed text (an unterminated quote, text after a closing quote) returns false with *error set; *pos is
// then unspecified. A byte order mark at offset 0 is skipped.
bool ReadCsvRecord(std::string_view text, size_t* pos, int* line, std::vector<std::string>* fields, std::string* error);

// The column names in the first row of the CSV file at `path`. Throws Error(kIo) when the file cannot be read
// and Error(kData, naming the file) when it is empty or its header is malformed.
std::vector<std::string> ReadCsvHeader(FileSystem* fs, const std::string& path);

}  // namespace cdmlake::unify
