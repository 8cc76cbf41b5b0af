#include "entitystore/dependencies_csv.h"

#include <algorithm>

#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

class Parser {
 public:
  Parser(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  std::vector<ViewDefinition> Parse() {
    std::vector<ViewDefinition> out;
    SkipBlankLines();
    if (pos_ >= text_.size()) return out;
    ReadHeader();
    SkipBlankLines();
    if (pos_ < text_.size()) quoted_records_ = text_[pos_] == '"';
    while (pos_ < text_.size()) {
      int64_t line = LineAt(pos_);
      std::vector<std::string> fields = ReadRecord(line);
      ViewDefinition def;
      def.view_name = fields[view_name_];
      if (root_view_name_ >= 0) def.root_view_name = fields[static_cast<size_t>(root_view_name_)];
      if (parent_view_name_ >= 0) def.parent_view_name = fields[static_cast<size_t>(parent_view_name_)];
      def.definition = std::move(fields[definition_]);
      def.source = SourceRef{file_, static_cast<int>(line)};
      out.push_back(std::move(def));
      SkipBlankLines();
    }
    return out;
  }

 private:
  [[noreturn]] void Fail(int64_t line, const std::string& message) const {
    throw Error(ErrorKind::kData, message, Location{file_, line},
                "views\\dependencies.csv should have the columns ViewName,RootViewName,ParentViewName,Definition");
  }

  // 1-based line of an offset; offsets are asked in increasing order, so counting is incremental.
  int64_t LineAt(size_t offset) {
    if (offset < counted_pos_) {
      counted_pos_ = 0;
      counted_line_ = 1;
    }
    counted_line_ += std::count(text_.begin() + static_cast<std::ptrdiff_t>(counted_pos_),
                                text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
    counted_pos_ = offset;
    return counted_line_;
  }

  void SkipBlankLines() {
    size_t p = pos_;
    while (p < text_.size()) {
      size_t eol = text_.find('\n', p);
      std::string_view line = text_.substr(p, eol == std::string_view::npos ? std::string_view::npos : eol - p);
      if (!Trim(line).empty()) break;
      p = eol == std::string_view::npos ? text_.size() : eol + 1;
    }
    pos_ = p;
  }

  void ReadHeader() {
    size_t eol = text_.find('\n', pos_);
    std::string_view line = text_.substr(pos_, eol == std::string_view::npos ? std::string_view::npos : eol - pos_);
    pos_ = eol == std::string_view::npos ? text_.size() : eol + 1;
    for (std::string& name : Split(Trim(line), ',')) {
      std::string_view n = Trim(name);
      if (n.size() >= 2 && n.front() == '"' && n.back() == '"') n = n.substr(1, n.size() - 2);
      header_.emplace_back(n);
    }
    auto column = [&](const char* name) -> int {
      for (size_t i = 0; i < header_.size(); ++i) {
        if (EqualsIgnoreCase(header_[i], name)) return static_cast<int>(i);
      }
      return -1;
    };
    int view = column("ViewName");
    int definition = column("Definition");
    if (view < 0 || definition < 0) {
      Fail(1,
           "the header '" + std::string(Trim(line)) + "' lacks the column " + (view < 0 ? "ViewName" : "Definition"));
    }
    view_name_ = static_cast<size_t>(view);
    definition_ = static_cast<size_t>(definition);
    root_view_name_ = column("RootViewName");
    parent_view_name_ = column("ParentViewName");
  }

  // True when a record could start at p: `"<name>","` for quoted files, `<name>,` otherwise.
  bool LooksLikeRecordStart(size_t p) const {
    if (quoted_records_) {
      if (p >= text_.size() || text_[p] != '"') return false;
      size_t close = text_.find('"', p + 1);
      if (close == std::string_view::npos) return false;
      std::string_view name = text_.substr(p + 1, close - p - 1);
      if (name.find('\n') != std::string_view::npos) return false;
      return text_.substr(close + 1, 2) == ",\"";
    }
    size_t q = p;
    while (q < text_.size() && text_[q] != ',' && text_[q] != '"' && !IsBlank(text_[q])) ++q;
    return q > p && q < text_.size() && text_[q] == ',';
  }

  // True when the text at p ends a record: end of file, or a line break followed by blank lines only or by the
  // start of another record.
  bool IsRecordEnd(size_t p) const {
    if (p >= text_.size()) return true;
    if (text_[p] == '\r') ++p;
    if (p >= text_.size()) return true;
    if (text_[p] != '\n') return false;
    ++p;
    while (p < text_.size()) {
      size_t eol = text_.find('\n', p);
      std::string_view line = text_.substr(p, eol == std::string_view::npos ? std::string_view::npos : eol - p);
      if (!Trim(line).empty()) return LooksLikeRecordStart(p);
      p = eol == std::string_view::npos ? text_.size() : eol + 1;
    }
    return true;
  }

  // Consumes the line break (if any) after the last field of a record.
  void EndRecord(int64_t line) {
    size_t p = pos_;
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    if (p < text_.size() && text_[p] == '\r') ++p;
    if (p < text_.size() && text_[p] != '\n') {
      Fail(line, "the record has more fields than the header's " + std::to_string(header_.size()));
    }
    pos_ = p < text_.size() ? p + 1 : p;
  }

  std::vector<std::string> ReadRecord(int64_t line) {
    std::vector<std::string> fields;
    for (size_t i = 0; i < header_.size(); ++i) {
      bool last = i + 1 == header_.size();
      std::string field;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        field = ReadQuoted(last, line, i);
      } else {
        size_t p = pos_;
        while (p < text_.size() && text_[p] != ',' && text_[p] != '\n') ++p;
        field = std::string(text_.substr(pos_, p - pos_));
        if (!field.empty() && field.back() == '\r') field.pop_back();
        pos_ = p;
        if (last) {
          if (pos_ < text_.size() && text_[pos_] == ',') {
            Fail(line, "the record has more fields than the header's " + std::to_string(header_.size()));
          }
        } else if (pos_ >= text_.size() || text_[pos_] != ',') {
          Fail(line,
               "the record has " + std::to_string(i + 1) + " fields, the header " + std::to_string(header_.size()));
        }
      }
      if (last) {
        EndRecord(line);
      } else {
        ++pos_;  // the ','
      }
      fields.push_back(std::move(field));
    }
    return fields;
  }

  // Reads a quoted field starting at pos_ (on its opening quote) and leaves pos_ after the closing quote.
  std::string ReadQuoted(bool last, int64_t line, size_t index) {
    std::string field;
    size_t p = pos_ + 1;
    auto closes = [&](size_t q) { return last ? IsRecordEnd(q + 1) : q + 1 < text_.size() && text_[q + 1] == ','; };
    while (true) {
      size_t q = text_.find('"', p);
      if (!last) {
        size_t eol = text_.find('\n', p);
        if (eol != std::string_view::npos && (q == std::string_view::npos || eol < q)) {
          Fail(line, "field " + std::to_string(index + 1) +
                         " of the record is not closed on its line (the header has " + std::to_string(header_.size()) +
                         " fields)");
        }
      }
      if (q == std::string_view::npos) Fail(line, "the quoted field " + std::to_string(index + 1) + " is never closed");
      field.append(text_.substr(p, q - p));
      if (closes(q)) {
        pos_ = q + 1;
        return field;
      }
      if (q + 1 < text_.size() && text_[q + 1] == '"' && !closes(q + 1)) {
        field.push_back('"');  // RFC-4180 doubled quote
        p = q + 2;
      } else {
        field.push_back('"');  // a stray quote inside the field (EMEX does not escape them)
        p = q + 1;
      }
    }
  }

  std::string_view text_;
  const std::string& file_;
  size_t pos_ = 0;
  size_t counted_pos_ = 0;
  int64_t counted_line_ = 1;
  bool quoted_records_ = true;
  std::vector<std::string> header_;
  size_t view_name_ = 0;
  size_t definition_ = 0;
  int root_view_name_ = -1;
  int parent_view_name_ = -1;
};

void AppendQuoted(std::string* out, const std::string& value) {
  out->push_back('"');
  for (char c : value) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

std::vector<ViewDefinition> ParseDependenciesCsv(std::string_view text, const std::string& file) {
  std::string_view body = StripUtf8Bom(text);
  // Offsets (and so lines) are counted in the text without the BOM; a BOM does not add a line.
  return Parser(body, file).Parse();
}

std::string FormatDependenciesCsv(const std::vector<ViewDefinition>& definitions) {
  std::string out = "ViewName,RootViewName,ParentViewName,Definition\r\n";
  for (const ViewDefinition& d : definitions) {
    AppendQuoted(&out, d.view_name);
    out.push_back(',');
    AppendQuoted(&out, d.root_view_name);
    out.push_back(',');
    AppendQuoted(&out, d.parent_view_name);
    out.push_back(',');
    AppendQuoted(&out, d.definition);
    out += "\r\n";
  }
  return out;
}

}  // namespace cdmlake::entitystore
