#include "cli/result_printer.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "engine/value_format.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::cli {

namespace {

constexpr size_t kSampleRows = 1000;  // rows used to size table columns
constexpr size_t kMaxColumnWidth = 60;

size_t DisplayWidth(const std::string& s) {
  size_t width = 0;
  for (unsigned char c : s) width += (c & 0xC0) != 0x80;  // count UTF-8 code points
  return width;
}

// Table cells are one line: line breaks and tabs are shown escaped.
std::string TableCell(const std::optional<std::string>& value) {
  if (!value) return "NULL";
  std::string out;
  for (char c : *value) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out;
}

class Writer {
 public:
  explicit Writer(std::FILE* out) : out_(out) {}
  void Put(const std::string& s) {
    if (std::fwrite(s.data(), 1, s.size(), out_) != s.size()) {
      throw Error(ErrorKind::kIo, "cannot write the output (is the disk full or the pipe closed?)");
    }
  }

 private:
  std::FILE* out_;
};

bool RightAligned(duckdb_type type) { return engine::JsonKindOf(type) == engine::JsonKind::kNumber; }

int64_t PrintTable(engine::Result& result, Writer& w) {
  const idx_t n = result.column_count();
  std::vector<std::vector<std::string>> buffered;
  std::vector<size_t> widths(n);
  for (idx_t c = 0; c < n; ++c) widths[c] = std::min(DisplayWidth(result.column_name(c)), kMaxColumnWidth);
  int64_t rows = 0;
  bool header_done = false;
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (idx_t c = 0; c < n; ++c) {
      size_t pad = widths[c] > DisplayWidth(cells[c]) ? widths[c] - DisplayWidth(cells[c]) : 0;
      if (c > 0) line += " | ";
      if (RightAligned(result.column_type(c))) {
        line += std::string(pad, ' ') + cells[c];
      } else {
        line += cells[c] + (c + 1 < n ? std::string(pad, ' ') : "");
      }
    }
    w.Put(line + "\n");
  };
  auto print_header = [&] {
    std::vector<std::string> names;
    std::string rule;
    for (idx_t c = 0; c < n; ++c) {
      names.push_back(result.column_name(c));
      rule += (c > 0 ? "-+-" : "") + std::string(widths[c], '-');
    }
    print_row(names);
    w.Put(rule + "\n");
    for (const auto& row : buffered) print_row(row);
    buffered.clear();
    header_done = true;
  };
  engine::Chunk chunk;
  while (result.Next(&chunk)) {
    for (idx_t r = 0; r < chunk.size(); ++r, ++rows) {
      std::vector<std::string> cells;
      for (idx_t c = 0; c < n; ++c) cells.push_back(TableCell(chunk.Text(c, r)));
      if (header_done) {
        print_row(cells);
        continue;
      }
      for (idx_t c = 0; c < n; ++c) widths[c] = std::max(widths[c], std::min(DisplayWidth(cells[c]), kMaxColumnWidth));
      buffered.push_back(std::move(cells));
      if (buffered.size() >= kSampleRows) print_header();
    }
  }
  if (!header_done) print_header();
  w.Put("(" + std::to_string(rows) + (rows == 1 ? " row)\n" : " rows)\n"));
  return rows;
}

int64_t PrintCsv(engine::Result& result, Writer& w) {
  std::string line;
  for (idx_t c = 0; c < result.column_count(); ++c) line += (c > 0 ? "," : "") + CsvField(result.column_name(c));
  w.Put(line + "\n");
  int64_t rows = 0;
  engine::Chunk chunk;
  while (result.Next(&chunk)) {
    for (idx_t r = 0; r < chunk.size(); ++r, ++rows) {
      line.clear();
      for (idx_t c = 0; c < result.column_count(); ++c) {
        if (c > 0) line += ',';
        if (auto v = chunk.Text(c, r)) line += CsvField(*v);
      }
      w.Put(line + "\n");
    }
  }
  return rows;
}

int64_t PrintJson(engine::Result& result, Writer& w) {
  std::vector<std::string> keys;
  for (idx_t c = 0; c < result.column_count(); ++c) keys.push_back(JsonString(result.column_name(c)) + ": ");
  w.Put("[");
  int64_t rows = 0;
  engine::Chunk chunk;
  while (result.Next(&chunk)) {
    for (idx_t r = 0; r < chunk.size(); ++r, ++rows) {
      std::string line = rows == 0 ? "\n  {" : ",\n  {";
      for (idx_t c = 0; c < result.column_count(); ++c) {
        if (c > 0) line += ", ";
        line += keys[c];
        std::optional<std::string> v = chunk.Text(c, r);
        if (!v) {
          line += "null";
          continue;
        }
        engine::JsonKind kind = engine::JsonKindOf(result.column_type(c));
        bool finite = *v != "nan" && *v != "inf" && *v != "-inf";
        line += (kind == engine::JsonKind::kString || !finite) ? JsonString(*v) : *v;
      }
      w.Put(line + "}");
    }
  }
  w.Put(rows == 0 ? "]\n" : "\n]\n");
  return rows;
}

}  // namespace

OutputFormat ParseOutputFormat(const std::string& text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "csv") return OutputFormat::kCsv;
  if (text == "json") return OutputFormat::kJson;
  throw Error(ErrorKind::kUser, "unknown output format '" + text + "' (use table, csv or json)");
}

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JsonString(const std::string& value) { return JsonQuote(value); }

int64_t PrintResult(engine::Result& result, OutputFormat format, std::FILE* out) {
  Writer w(out);
  switch (format) {
    case OutputFormat::kTable: return PrintTable(result, w);
    case OutputFormat::kCsv: return PrintCsv(result, w);
    case OutputFormat::kJson: return PrintJson(result, w);
  }
  return 0;
}

}  // namespace cdmlake::cli
