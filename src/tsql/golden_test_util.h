// Reading and rewriting the golden files under src/tsql/testdata/ (tests only; header-only so that it is not
// part of the library).
//
// A file holds cases. Lines before the first case are a free comment. A case is
//
//   === name of the case
//   --- input
//   CREATE VIEW ... (T-SQL)
//   --- options              (optional: "date_columns: A, T1.B" and/or "view_name: X")
//   --- query
//   the expected DuckDB SQL
//   --- references
//   TABLE1 TABLE2
//   --- unsupported          (optional: one "construct @ line:column" per line)
//
// With CDMLAKE_UPDATE_GOLDEN=1 the tests rewrite the query, references and unsupported sections with what the
// translator produces now (docs/tsql.md). Reading, writing and the update switch are util/golden_test_util.h.
#pragma once

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tsql/translator.h"
#include "util/golden_test_util.h"
#include "util/strings.h"

namespace cdmlake::tsql::golden {

inline std::filesystem::path TestDataDir() { return std::filesystem::path(__FILE__).parent_path() / "testdata"; }

using ::cdmlake::golden::ReadText;
using ::cdmlake::golden::UpdateRequested;

struct Case {
  std::string name;
  std::string input;
  std::string options;
  std::string query;
  std::string references;
  std::string unsupported;
};

struct File {
  std::string header;
  std::vector<Case> cases;
};

inline std::string TrimBlankLines(const std::string& s) {
  size_t begin = 0;
  while (begin < s.size() && s[begin] == '\n') ++begin;
  size_t end = s.size();
  while (end > begin && (s[end - 1] == '\n' || s[end - 1] == ' ' || s[end - 1] == '\r')) --end;
  return s.substr(begin, end - begin);
}

inline File Parse(const std::string& text) {
  File file;
  std::istringstream in(text);
  std::string line;
  std::string* section = &file.header;
  while (std::getline(in, line)) {
    if (line.rfind("=== ", 0) == 0) {
      file.cases.push_back(Case{line.substr(4)});
      section = nullptr;
      continue;
    }
    if (!file.cases.empty() && line.rfind("--- ", 0) == 0) {
      std::string name(Trim(line.substr(4)));
      Case& c = file.cases.back();
      std::string* target = name == "input"        ? &c.input
                            : name == "options"    ? &c.options
                            : name == "query"      ? &c.query
                            : name == "references" ? &c.references
                            : name == "unsupported" ? &c.unsupported
                                                    : nullptr;
      if (target) {
        section = target;
        continue;
      }
    }
    if (section) *section += line + "\n";
  }
  for (Case& c : file.cases) {
    c.input = TrimBlankLines(c.input);
    c.options = TrimBlankLines(c.options);
    c.query = TrimBlankLines(c.query);
    c.references = TrimBlankLines(c.references);
    c.unsupported = TrimBlankLines(c.unsupported);
  }
  return file;
}

inline std::string Serialize(const File& file) {
  std::string out = file.header;
  for (size_t i = 0; i < file.cases.size(); ++i) {
    const Case& c = file.cases[i];
    if (i > 0) out += "\n";
    out += "=== " + c.name + "\n--- input\n" + c.input + "\n";
    if (!c.options.empty()) out += "--- options\n" + c.options + "\n";
    out += "--- query\n" + c.query + "\n--- references\n" + c.references + "\n";
    if (!c.unsupported.empty()) out += "--- unsupported\n" + c.unsupported + "\n";
  }
  return out;
}

inline TranslateOptions OptionsOf(const Case& c) {
  TranslateOptions options;
  for (const std::string& line : Split(c.options, '\n')) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key(Trim(line.substr(0, colon)));
    std::string value(Trim(line.substr(colon + 1)));
    if (key == "view_name") options.view_name = value;
    if (key == "date_columns") {
      for (const std::string& column : Split(value, ',')) options.date_columns.emplace_back(Trim(column));
    }
  }
  return options;
}

inline std::string UnsupportedText(const Translation& t) {
  std::string out;
  for (const Unsupported& u : t.unsupported) {
    out += u.construct + " @ " + std::to_string(u.line) + ":" + std::to_string(u.column) + "\n";
  }
  return TrimBlankLines(out);
}

// The names (without .test) of every golden file, sorted.
inline std::vector<std::string> FileNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(TestDataDir(), ec)) {
    if (entry.path().extension() == ".test") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace cdmlake::tsql::golden
