#include "unify/csv_header.h"

#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::unify {

bool ReadCsvRecord(std::string_view text, size_t* pos, int* line, std::vector<std::string>* fields,
                   std::string* error) {
  if (*pos == 0 && text.substr(0, 3) == "\xEF\xBB\xBF") *pos = 3;
  fields->clear();
  std::string field;
  size_t i = *pos;
  while (true) {
    if (i < text.size() && text[i] == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) {
          *error = "a quoted field is not closed";
          return false;
        }
        char c = text[i++];
        if (c == '"') {
          if (i < text.size() && text[i] == '"') {
            field += '"';
            ++i;
            continue;
          }
          break;
        }
        if (c == '\n') ++*line;
        field += c;
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        *error = "text follows a closing quote (a quote inside a field must be doubled)";
        return false;
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field += text[i++];
    }
    fields->push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    break;
  }
  if (i < text.size() && text[i] == '\r') ++i;
  if (i < text.size() && text[i] == '\n') {
    ++i;
    ++*line;
  }
  *pos = i;
  return true;
}

std::vector<std::string> ReadCsvHeader(FileSystem* fs, const std::string& path) {
  // A header longer than this is not a header; reading a prefix keeps large data files out of memory.
  constexpr size_t kMaxHeaderBytes = 1 << 20;
  std::string text = fs->ReadFilePrefix(path, kMaxHeaderBytes);
  size_t pos = 0;
  int line = 1;
  std::vector<std::string> fields;
  std::string error;
  if (!ReadCsvRecord(text, &pos, &line, &fields, &error)) {
    throw Error(ErrorKind::kData, "the header row is malformed: " + error, Location{path, 1, ""},
                "the first row of a CSV source must name its columns");
  }
  if (text.size() == kMaxHeaderBytes && pos == text.size()) {
    throw Error(ErrorKind::kData, "the header row is longer than 1 MiB", Location{path, 1, ""},
                "is this a CSV file with a header row?");
  }
  if (text.empty() || (fields.size() == 1 && fields[0].empty())) {
    throw Error(ErrorKind::kData, "the file is empty; a header row naming the columns is expected",
                Location{path, 1, ""});
  }
  // Columns are found by name, case-insensitively (as SQL finds them): a name given twice would be read as
  // one of the two without a word.
  for (size_t i = 0; i < fields.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (EqualsIgnoreCase(fields[i], fields[j])) {
        throw Error(ErrorKind::kData,
                    "the header names the column '" + fields[j] + "' twice (fields " + std::to_string(j + 1) +
                        " and " + std::to_string(i + 1) + ")",
                    Location{path, 1, ""}, "rename one of them: columns are found by name");
      }
    }
  }
  return fields;
}

}  // namespace cdmlake::unify
