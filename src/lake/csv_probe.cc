#include "lake/csv_probe.h"

namespace cdmlake::lake {

namespace {
constexpr size_t kProbeBytes = 1 << 20;  // a first record longer than 1 MiB is read as the full width
}

CsvShape ProbeCsvText(const std::string& text, const cdm::CsvFormat& csv) {
  size_t i = 0;
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  for (int skipped = 0; skipped < csv.skip_lines && i < text.size(); ++skipped) {
    size_t nl = text.find('\n', i);
    i = nl == std::string::npos ? text.size() : nl + 1;
  }
  if (i >= text.size()) return {};
  const char delimiter = csv.delimiter.empty() ? ',' : csv.delimiter[0];
  const char quote = csv.quote.empty() ? '\0' : csv.quote[0];
  const char escape = csv.escape.empty() ? quote : csv.escape[0];
  int fields = 1;
  bool in_quotes = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == escape && escape != quote && i + 1 < text.size()) {
        ++i;  // escaped character
      } else if (c == quote) {
        if (i + 1 < text.size() && text[i + 1] == quote && escape == quote) {
          ++i;  // doubled quote
        } else {
          in_quotes = false;
        }
      }
      continue;
    }
    if (quote != '\0' && c == quote) {
      in_quotes = true;
    } else if (c == delimiter && text.compare(i, csv.delimiter.size(), csv.delimiter) == 0) {
      ++fields;
      i += csv.delimiter.size() - 1;
    } else if (c == '\n') {
      return {fields, "\n"};
    } else if (c == '\r') {
      return {fields, i + 1 < text.size() && text[i + 1] == '\n' ? "\r\n" : ""};
    }
  }
  // The record runs past the probed bytes (or the file has one line without a newline).
  if (text.size() >= kProbeBytes) return {};
  return {fields, ""};
}

std::vector<int64_t> PhysicalLinesOfRecordsInText(const std::string& text, const cdm::CsvFormat& csv,
                                                  const std::vector<int64_t>& sorted_records) {
  std::vector<int64_t> out(sorted_records.size(), 0);
  const char quote = csv.quote.empty() ? '\0' : csv.quote[0];
  int64_t line = 1;
  int64_t current = 1;
  bool in_quotes = false;
  size_t next = 0;
  auto settle = [&] {
    while (next < sorted_records.size() && sorted_records[next] <= current) {
      if (sorted_records[next] == current) out[next] = line;
      ++next;
    }
  };
  if (!text.empty()) settle();
  for (size_t i = 0; i < text.size() && next < sorted_records.size(); ++i) {
    char c = text[i];
    if (quote != '\0' && c == quote) {
      in_quotes = !in_quotes;  // a doubled quote toggles twice
    } else if (c == '\n') {
      ++line;
      if (!in_quotes) {
        ++current;
        if (i + 1 < text.size()) settle();
      }
    }
  }
  return out;
}

int64_t PhysicalLineOfRecordInText(const std::string& text, const cdm::CsvFormat& csv, int64_t record) {
  if (record < 1) return 0;
  return PhysicalLinesOfRecordsInText(text, csv, {record})[0];
}

int64_t PhysicalLineOfRecord(FileSystem& fs, const std::string& path, const cdm::CsvFormat& csv, int64_t record) {
  return PhysicalLineOfRecordInText(fs.ReadFile(path), csv, record);
}

CsvShape ProbeCsvFile(FileSystem& fs, const std::string& path, const cdm::CsvFormat& csv) {
  return ProbeCsvText(fs.ReadFilePrefix(path, kProbeBytes), csv);
}

}  // namespace cdmlake::lake
