#include "unify/config_loader.h"

#include <unicode/utf8.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>

#include "unify/csv_header.h"
#include "unify/normalize_phone.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::unify {
namespace {

using Keys = std::initializer_list<std::string_view>;

std::string Indexed(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

// The 1-based line and column (in bytes) of the first byte of `text` that is not UTF-8 (or is a NUL), or
// {0, 0}. Names and values of the configuration end up in output tables and messages, which must stay UTF-8.
std::pair<int, int> FirstInvalidUtf8(std::string_view text) {
  int line = 1;
  size_t line_start = 0;
  const auto length = static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  for (int32_t i = 0; i < length;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    if (c < 0 || c == 0) return {line, static_cast<int>(at - line_start) + 1};
    if (c == '\n') {
      ++line;
      line_start = static_cast<size_t>(i);
    }
  }
  return {0, 0};
}
std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Walks the YAML tree, converting values and collecting problems. A missing key is an undefined node; checks
// report at the parent's position then. Scalar-reading methods return nullopt both for an absent or null value
// (no report) and for a value of the wrong type (reported).
class Reader {
 public:
  Reader(std::string file, FileSystem* fs, std::vector<ConfigProblem>* problems)
      : file_(std::move(file)), fs_(fs), problems_(problems) {}

  const std::string& file() const { return file_; }
  void set_base_dir(std::string dir) { base_dir_ = std::move(dir); }
  const std::string& base_dir() const { return base_dir_; }

  ConfigMark MarkOf(const YAML::Node& n, const std::string& path) const {
    ConfigMark mark{file_, 0, 0, path};
    if (n.IsDefined() && n.Mark().line >= 0) {
      mark.line = n.Mark().line + 1;
      mark.column = n.Mark().column + 1;
    }
    return mark;
  }

  void Report(ConfigMark mark, std::string message, std::string hint = {}) {
    problems_->push_back(
        ConfigProblem{ProblemSeverity::kError, std::move(mark), std::move(message), std::move(hint)});
  }
  void Report(const YAML::Node& n, const std::string& path, std::string message, std::string hint = {}) {
    Report(MarkOf(n, path), std::move(message), std::move(hint));
  }

  static bool Present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

  // True when n is a map; reports unknown keys (with the closest known one) and repeated keys.
  bool Map(const YAML::Node& n, const std::string& path, Keys keys) {
    if (!n.IsDefined() || !n.IsMap()) {
      Report(
          n, path,
          "expected a map of keys (" + Join(std::vector<std::string>(keys.begin(), keys.end()), ", ") + ")" + Found(n));
      return false;
    }
    std::vector<std::string> allowed(keys.begin(), keys.end());
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      std::string key_path = Child(path, key);
      if (!it->first.IsScalar()) {
        Report(it->first, path, "a key must be a plain name");
      } else if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string closest = ClosestName(key, allowed);
        Report(it->first, key_path, "unknown key " + Quote(key),
               closest.empty() ? "the keys allowed here are: " + Join(allowed, ", ")
                               : "did you mean " + Quote(closest) + "?");
      } else if (!seen.insert(key).second) {
        Report(it->first, key_path, "the key " + Quote(key) + " is given twice", "keep one of them");
      }
    }
    return true;
  }

  // True when n is a sequence; an absent or null node is an empty sequence (returns false, no report).
  bool Seq(const YAML::Node& n, const std::string& path, std::string_view example = {}) {
    if (!Present(n)) return false;
    if (n.IsSequence()) return true;
    Report(n, path, "expected a list" + Found(n),
           example.empty() ? "write a YAML list: one '- item' per line, or [a, b]"
                           : "write a list, for example " + std::string(example));
    return false;
  }

  // A map whose keys are names chosen by the user (sources, columns, lists); reports repeated names.
  bool NamedMap(const YAML::Node& n, const std::string& path, std::string_view what) {
    if (!Present(n)) return false;
    if (!n.IsMap()) {
      Report(n, path, "expected a map from " + std::string(what) + " to its settings" + Found(n));
      return false;
    }
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) {
        Report(it->first, path, "a key must be a plain name");
      } else if (!seen.insert(it->first.Scalar()).second) {
        Report(it->first, Child(path, it->first.Scalar()),
               std::string(what) + " " + Quote(it->first.Scalar()) + " is given twice", "keep one of them");
      }
    }
    return true;
  }

  std::optional<std::string> Text(const YAML::Node& n, const std::string& path) {
    if (!Present(n)) return std::nullopt;
    if (!n.IsScalar()) {
      Report(n, path, "expected a single value" + Found(n));
      return std::nullopt;
    }
    return n.Scalar();
  }

  // A required non-empty text value of key `key` of map `parent`.
  std::optional<std::string> RequiredText(const YAML::Node& parent, std::string_view key, const std::string& path,
                                          std::string_view hint = {}) {
    const YAML::Node n = parent[std::string(key)];
    std::string key_path = Child(path, key);
    if (!Present(n)) {
      Report(parent, key_path, "the key " + Quote(key) + " is required", std::string(hint));
      return std::nullopt;
    }
    std::optional<std::string> text = Text(n, key_path);
    if (text && Trim(*text).empty()) {
      Report(n, key_path, "the value of " + Quote(key) + " is empty", std::string(hint));
      return std::nullopt;
    }
    return text;
  }

  NameRef Name(const YAML::Node& n, const std::string& path) {
    std::optional<std::string> text = Text(n, path);
    if (!text) return NameRef{};
    return NameRef{*text, MarkOf(n, path)};
  }
  NameRef RequiredName(const YAML::Node& parent, std::string_view key, const std::string& path,
                       std::string_view hint = {}) {
    std::optional<std::string> text = RequiredText(parent, key, path, hint);
    if (!text) return NameRef{};
    return NameRef{*text, MarkOf(parent[std::string(key)], Child(path, key))};
  }

  std::optional<bool> Bool(const YAML::Node& n, const std::string& path) {
    std::optional<std::string> text = Text(n, path);
    if (!text) return std::nullopt;
    if (*text == "true") return true;
    if (*text == "false") return false;
    Report(n, path, "expected true or false, found " + Quote(*text));
    return std::nullopt;
  }

  std::optional<int64_t> Int(const YAML::Node& n, const std::string& path) {
    std::optional<std::string> text = Text(n, path);
    if (!text) return std::nullopt;
    int64_t value = 0;
    if (ParseInt64(*text, &value)) return value;
    Report(n, path, "expected a whole number, found " + Quote(*text));
    return std::nullopt;
  }

  std::optional<double> Number(const YAML::Node& n, const std::string& path) {
    std::optional<std::string> text = Text(n, path);
    if (!text) return std::nullopt;
    try {
      size_t used = 0;
      double value = std::stod(*text, &used);
      if (used == text->size()) return value;
    } catch (const std::exception&) {
    }
    Report(n, path, "expected a number, found " + Quote(*text));
    return std::nullopt;
  }

  // One name or a list of names.
  std::vector<NameRef> Names(const YAML::Node& n, const std::string& path) {
    std::vector<NameRef> out;
    if (!Present(n)) return out;
    if (n.IsScalar()) {
      out.push_back(Name(n, path));
      return out;
    }
    if (!Seq(n, path)) return out;
    for (size_t i = 0; i < n.size(); ++i) {
      NameRef name = Name(n[i], Indexed(path, i));
      if (!name.empty()) out.push_back(std::move(name));
    }
    return out;
  }

  // A path written in the configuration, resolved against base_dir; reports (and returns "") when nothing is
  // there.
  std::string ExistingPath(const YAML::Node& n, const std::string& path, std::string_view what) {
    std::optional<std::string> text = Text(n, path);
    if (!text) return "";
    std::string resolved = NormalizePath(JoinPath(base_dir_, *text));
    std::optional<FileInfo> info = fs_->Stat(resolved);
    if (!info || info->is_directory) {
      Report(n, path, std::string(what) + " " + Quote(resolved) + (info ? " is a directory" : " does not exist"),
             "relative paths resolve against base_dir (" + base_dir_ + ")");
      return "";
    }
    return resolved;
  }

  // The rows of a CSV list file after its header; reports a file that cannot be read or parsed.
  struct CsvRow {
    std::vector<std::string> fields;
    int line = 0;
  };
  std::optional<std::vector<CsvRow>> ReadCsvFile(const std::string& resolved, const YAML::Node& n,
                                                 const std::string& path, std::vector<std::string>* header) {
    std::string text;
    try {
      text = fs_->ReadFile(resolved);
    } catch (const Error& e) {
      Report(n, path, "cannot read " + Quote(resolved) + ": " + e.message());
      return std::nullopt;
    }
    if (auto [bad_line, bad_column] = FirstInvalidUtf8(text); bad_line > 0) {
      Report(ConfigMark{resolved, bad_line, bad_column, path}, "the file is not UTF-8 text (a byte at this place)",
             "save it as UTF-8");
      return std::nullopt;
    }
    std::vector<CsvRow> rows;
    size_t pos = 0;
    int line = 1;
    bool first = true;
    while (pos < text.size()) {
      CsvRow row{{}, line};
      std::string error;
      if (!ReadCsvRecord(text, &pos, &line, &row.fields, &error)) {
        Report(ConfigMark{resolved, row.line, 0, path}, "malformed CSV: " + error);
        return std::nullopt;
      }
      if (row.fields.size() == 1 && Trim(row.fields[0]).empty()) continue;  // a blank line
      if (first) {
        *header = row.fields;
        first = false;
      } else {
        rows.push_back(std::move(row));
      }
    }
    if (first) {
      Report(n, path, "the file " + Quote(resolved) + " is empty; a header row is expected");
      return std::nullopt;
    }
    return rows;
  }

  FileSystem* fs() const { return fs_; }

 private:
  static std::string Found(const YAML::Node& n) {
    if (!n.IsDefined()) return "";
    if (n.IsNull()) return ", found nothing";
    if (n.IsMap()) return ", found a map";
    if (n.IsSequence()) return ", found a list";
    return ", found " + Quote(n.Scalar());
  }

  std::string file_;
  std::string base_dir_;
  FileSystem* fs_;
  std::vector<ConfigProblem>* problems_;
};

// ---- small values ---------------------------------------------------------------------------------------------

const char* const kNormalizationHint =
    "normalizations are: unicode-to-ascii, numerals, lowercase, type-phone, type-name, type-address, "
    "type-organization, symbols, whitespace (alias and bypass lists are their own keys)";

bool ValidStrptime(std::string_view format) {
  // The conversions of DuckDB's strptime; '-' (no padding) may precede one.
  static constexpr std::string_view kLetters = "aAbBcdfgGHIjmMpSuUVwWxXyYzZ%";
  bool any = false;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 < format.size() && format[i + 1] == '-') ++i;
    if (i + 1 >= format.size() || kLetters.find(format[i + 1]) == std::string_view::npos) return false;
    any = any || format[i + 1] != '%';
    ++i;
  }
  return any;
}

const char* const kFormatHint =
    "a DuckDB strptime pattern such as '%m/%d/%Y' (5/8/1986) or '%Y-%m-%d' (1986-05-08), or 'number'";

std::string ReadFormat(Reader& r, const YAML::Node& n, const std::string& path, bool allow_number) {
  std::optional<std::string> text = r.Text(n, path);
  if (!text) return "";
  if ((allow_number && *text == "number") || ValidStrptime(*text)) return *text;
  r.Report(n, path, "the format " + Quote(*text) + " is not a date pattern" + (allow_number ? " or 'number'" : ""),
           kFormatHint);
  return "";
}

std::optional<MergePolicy> ReadMergePolicy(Reader& r, const YAML::Node& n, const std::string& path) {
  std::optional<std::string> text = r.Text(n, path);
  if (!text) return std::nullopt;
  for (MergePolicy p : {MergePolicy::kImportance, MergePolicy::kMostRecent, MergePolicy::kLeastRecent}) {
    if (*text == MergePolicyName(p)) return p;
  }
  r.Report(n, path, "unknown merge policy " + Quote(*text), "use importance, most-recent or least-recent");
  return std::nullopt;
}

// Scalar "most-filled" or a map {policy, column}.
Winner ReadWinner(Reader& r, const YAML::Node& n, const std::string& path) {
  Winner winner;
  winner.mark = r.MarkOf(n, path);
  // Copies, not assignments: assigning a yaml-cpp node overwrites the node it refers to.
  const YAML::Node policy_node = n.IsMap() ? n["policy"] : n;
  const std::string policy_path = n.IsMap() ? Child(path, "policy") : path;
  if (n.IsMap()) {
    r.Map(n, path, {"policy", "column"});
    winner.recency = r.Name(n["column"], Child(path, "column"));
  }
  std::optional<std::string> text = r.Text(policy_node, policy_path);
  if (!text) {
    if (n.IsMap()) r.Report(n, policy_path, "the key 'policy' is required", "most-filled, most-recent or least-recent");
    return winner;
  }
  bool known = false;
  for (WinnerPolicy p : {WinnerPolicy::kMostFilled, WinnerPolicy::kMostRecent, WinnerPolicy::kLeastRecent}) {
    if (*text == WinnerPolicyName(p)) {
      winner.policy = p;
      known = true;
    }
  }
  if (!known) {
    r.Report(policy_node, policy_path, "unknown winner policy " + Quote(*text),
             "use most-filled, most-recent or least-recent");
  } else if (winner.policy == WinnerPolicy::kMostFilled && !winner.recency.empty()) {
    r.Report(winner.recency.mark, "most-filled takes no column", "remove 'column' or use most-recent");
  } else if (winner.policy != WinnerPolicy::kMostFilled && winner.recency.empty()) {
    r.Report(n, path, std::string(WinnerPolicyName(winner.policy)) + " needs the column that dates the rows",
             "write {policy: " + *text + ", column: CreatedOn}");
  }
  return winner;
}

// ---- rules ----------------------------------------------------------------------------------------------------

enum class RuleKind { kDedup, kMatch };

Condition ReadCondition(Reader& r, const YAML::Node& n, const std::string& path, RuleKind kind, bool exception) {
  Condition c;
  c.mark = r.MarkOf(n, path);
  // The keys allowed depend on the kind of rule and on whether this is an exception.
  bool ok = false;
  if (kind == RuleKind::kMatch && exception) {
    ok = r.Map(n, path, {"left", "right", "column", "normalize", "precision", "aliases", "bypass", "when"});
  } else if (kind == RuleKind::kMatch) {
    ok = r.Map(n, path, {"left", "right", "column", "normalize", "precision", "aliases", "bypass"});
  } else if (exception) {
    ok = r.Map(n, path, {"column", "normalize", "precision", "aliases", "bypass", "when"});
  } else {
    ok = r.Map(n, path, {"column", "normalize", "precision", "aliases", "bypass"});
  }
  if (!ok) return c;

  bool has_column = Reader::Present(n["column"]);
  bool has_sides = Reader::Present(n["left"]) || Reader::Present(n["right"]);
  if (kind == RuleKind::kDedup || (has_column && !has_sides)) {
    c.left = r.RequiredName(n, "column", path, "the column the condition compares");
    c.right = c.left;
  } else if (has_column) {
    r.Report(n, path, "give either 'column' (the same name on both sides) or 'left' and 'right', not both");
  } else {
    const char* hint = "left: the column of the target (higher-ranked) source; right: the column of this source";
    c.left = r.RequiredName(n, "left", path, hint);
    c.right = r.RequiredName(n, "right", path, hint);
  }

  const YAML::Node normalize = n["normalize"];
  std::string normalize_path = Child(path, "normalize");
  for (const NameRef& name : r.Names(normalize, normalize_path)) {
    std::optional<Normalization> kind_of = ParseNormalization(name.name);
    if (!kind_of) {
      std::vector<std::string> names;
      for (const auto& [k, text] : kNormalizationNames) names.emplace_back(text);
      std::string closest = ClosestName(name.name, names);
      r.Report(name.mark, "unknown normalization " + Quote(name.name),
               closest.empty() ? kNormalizationHint : "did you mean " + Quote(closest) + "?");
    } else if (std::find(c.normalize.begin(), c.normalize.end(), *kind_of) != c.normalize.end()) {
      r.Report(name.mark, "the normalization " + Quote(name.name) + " is listed twice", "list it once");
    } else {
      c.normalize.push_back(*kind_of);
    }
  }
  // Applied in the fixed order of normalization_kind.h whatever the order written.
  std::sort(c.normalize.begin(), c.normalize.end());

  const YAML::Node precision = n["precision"];
  std::string precision_path = Child(path, "precision");
  c.precision_mark = r.MarkOf(Reader::Present(precision) ? precision : n, precision_path);
  if (std::optional<std::string> text = r.Text(precision, precision_path)) {
    std::optional<Precision> value = TryParsePrecision(*text);
    if (!value) {
      r.Report(precision, precision_path, "unknown precision " + Quote(*text),
               "use exact, high (80%), medium (60%), low (30%) or a percentage from 1% to 100% such as 85%");
    } else {
      c.precision = *value;
    }
  }
  c.aliases = r.Names(n["aliases"], Child(path, "aliases"));
  c.bypass = r.Names(n["bypass"], Child(path, "bypass"));
  if (exception) {
    const YAML::Node when = n["when"];
    std::string when_path = Child(path, "when");
    if (std::optional<std::string> text = r.Text(when, when_path)) {
      if (*text == "different") {
        c.when = ConditionWhen::kDifferent;
      } else if (*text != "same") {
        r.Report(when, when_path, "unknown value " + Quote(*text) + " of 'when'",
                 "use same (the values match) or different (both are present and do not match)");
      }
    }
  }
  return c;
}

std::vector<Condition> ReadConditions(Reader& r, const YAML::Node& parent, const std::string& path, RuleKind kind,
                                      bool exception) {
  std::vector<Condition> out;
  const YAML::Node n = parent["conditions"];
  std::string conditions_path = Child(path, "conditions");
  if (!Reader::Present(n)) {
    r.Report(parent, conditions_path, "the key 'conditions' is required", "a rule is an AND of one or more conditions");
    return out;
  }
  if (!r.Seq(n, conditions_path, "[{column: EMail, normalize: [lowercase]}]")) return out;
  if (n.size() == 0) r.Report(n, conditions_path, "the list of conditions is empty");
  for (size_t i = 0; i < n.size(); ++i)
    out.push_back(ReadCondition(r, n[i], Indexed(conditions_path, i), kind, exception));
  return out;
}

Rule ReadRule(Reader& r, const YAML::Node& n, const std::string& path, RuleKind kind) {
  Rule rule;
  rule.mark = r.MarkOf(n, path);
  bool ok = kind == RuleKind::kMatch ? r.Map(n, path, {"name", "target", "conditions", "exceptions"})
                                     : r.Map(n, path, {"name", "conditions", "exceptions"});
  if (!ok) return rule;
  rule.name = r.Text(n["name"], Child(path, "name")).value_or("");
  if (kind == RuleKind::kMatch) rule.target = r.Name(n["target"], Child(path, "target"));
  rule.conditions = ReadConditions(r, n, path, kind, false);
  const YAML::Node exceptions = n["exceptions"];
  std::string exceptions_path = Child(path, "exceptions");
  if (r.Seq(exceptions, exceptions_path, "[{conditions: [{column: FirstName, when: different}]}]")) {
    for (size_t i = 0; i < exceptions.size(); ++i) {
      std::string e_path = Indexed(exceptions_path, i);
      RuleException e;
      e.mark = r.MarkOf(exceptions[i], e_path);
      if (r.Map(exceptions[i], e_path, {"name", "conditions"})) {
        e.name = r.Text(exceptions[i]["name"], Child(e_path, "name")).value_or("");
        e.conditions = ReadConditions(r, exceptions[i], e_path, kind, true);
      }
      rule.exceptions.push_back(std::move(e));
    }
  }
  return rule;
}

std::vector<Rule> ReadRules(Reader& r, const YAML::Node& n, const std::string& path, RuleKind kind) {
  std::vector<Rule> rules;
  if (!r.Seq(n, path)) return rules;
  for (size_t i = 0; i < n.size(); ++i) rules.push_back(ReadRule(r, n[i], Indexed(path, i), kind));
  return rules;
}

// ---- sections -------------------------------------------------------------------------------------------------

bool ValidSourceName(std::string_view name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

// name, table | csv: shared by sources and activities. Returns false when the name is unusable.
void ReadLocation(Reader& r, const YAML::Node& n, const std::string& path, std::string* table, ConfigMark* table_mark,
                  std::string* csv) {
  bool has_table = Reader::Present(n["table"]);
  bool has_csv = Reader::Present(n["csv"]);
  if (has_table == has_csv) {
    r.Report(n, path, has_table ? "give either 'table' or 'csv', not both" : "the key 'table' or 'csv' is required",
             "table: a table of the lake catalog; csv: a CSV file with a header row");
    return;
  }
  if (has_table) {
    *table = r.Text(n["table"], Child(path, "table")).value_or("");
    *table_mark = r.MarkOf(n["table"], Child(path, "table"));
  }
  if (has_csv) *csv = r.ExistingPath(n["csv"], Child(path, "csv"), "the CSV file");
}

std::string ReadName(Reader& r, const YAML::Node& n, const std::string& path) {
  std::optional<std::string> name = r.RequiredText(n, "name", path);
  if (!name) return "";
  if (!ValidSourceName(*name)) {
    r.Report(n["name"], Child(path, "name"), "the name " + Quote(*name) + " is not usable in output table names",
             "start with a letter; use letters, digits, '_' and '-'");
  }
  return *name;
}

ColumnMapping ReadColumn(Reader& r, const std::string& name, const YAML::Node& n, const YAML::Node& key,
                         const std::string& path) {
  ColumnMapping column{name, "", "", r.MarkOf(key, path)};
  const YAML::Node type = n.IsMap() ? n["type"] : n;
  const std::string type_path = n.IsMap() ? Child(path, "type") : path;
  if (n.IsMap()) {
    if (!r.Map(n, path, {"type", "format"})) return column;
    column.format = ReadFormat(r, n["format"], Child(path, "format"), true);
  }
  if (std::optional<std::string> text = r.Text(type, type_path)) {
    if (IsReservedSemanticType(*text) &&
        std::find(KnownSemanticTypes().begin(), KnownSemanticTypes().end(), *text) == KnownSemanticTypes().end()) {
      std::string closest = ClosestName(*text, KnownSemanticTypes());
      r.Report(type, type_path, "unknown semantic type " + Quote(*text),
               (closest.empty() ? std::string() : "did you mean " + Quote(closest) + "? ") +
                   "names starting with Person., Identity. or Location. are reserved for the known types; "
                   "a custom type uses another prefix (Custom.LoyaltyTier)");
    } else {
      column.semantic_type = *text;
    }
  }
  return column;
}

Source ReadSource(Reader& r, const YAML::Node& n, const std::string& path) {
  Source s;
  s.mark = r.MarkOf(n, path);
  if (!r.Map(n, path, {"name", "table", "csv", "primary_key", "columns", "include_all", "default_phone_region"})) {
    return s;
  }
  s.name = ReadName(r, n, path);
  ReadLocation(r, n, path, &s.table, &s.table_mark, &s.csv_path);
  s.primary_key = r.RequiredName(n, "primary_key", path, "a column whose values are unique and never empty");
  s.include_all = r.Bool(n["include_all"], Child(path, "include_all")).value_or(false);
  std::string region_path = Child(path, "default_phone_region");
  if (std::optional<std::string> region = r.Text(n["default_phone_region"], region_path)) {
    if (region->size() == 2 && std::isupper(static_cast<unsigned char>((*region)[0])) &&
        std::isupper(static_cast<unsigned char>((*region)[1]))) {
      if (IsKnownPhoneRegion(*region)) {
        s.default_phone_region = *region;
      } else {
        r.Report(n["default_phone_region"], region_path,
                 "the region " + Quote(*region) + " is not a country whose phone numbers are known",
                 "use an ISO 3166-1 alpha-2 code of a country: US, GB, DE");
      }
    } else {
      r.Report(n["default_phone_region"], region_path, "the region " + Quote(*region) + " is not a country code",
               "use an ISO 3166-1 alpha-2 code in capitals: US, GB, DE");
    }
  }
  const YAML::Node columns = n["columns"];
  std::string columns_path = Child(path, "columns");
  if (r.NamedMap(columns, columns_path, "the column")) {
    for (auto it = columns.begin(); it != columns.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      std::string column_path = Child(columns_path, it->first.Scalar());
      s.columns.push_back(ReadColumn(r, it->first.Scalar(), it->second, it->first, column_path));
    }
  }
  return s;
}

Dedup ReadDedup(Reader& r, const YAML::Node& key, const YAML::Node& n, const std::string& path) {
  Dedup d;
  d.source = NameRef{key.Scalar(), r.MarkOf(key, path)};
  d.mark = d.source.mark;
  if (!r.Map(n, path, {"rules", "winner", "columns"})) return d;
  d.rules = ReadRules(r, n["rules"], Child(path, "rules"), RuleKind::kDedup);
  if (Reader::Present(n["winner"])) d.winner = ReadWinner(r, n["winner"], Child(path, "winner"));
  const YAML::Node columns = n["columns"];
  std::string columns_path = Child(path, "columns");
  if (r.NamedMap(columns, columns_path, "the column")) {
    for (auto it = columns.begin(); it != columns.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      std::string column_path = Child(columns_path, it->first.Scalar());
      d.column_winners.push_back(ColumnWinner{NameRef{it->first.Scalar(), r.MarkOf(it->first, column_path)},
                                              ReadWinner(r, it->second, column_path)});
    }
  }
  return d;
}

Match ReadMatch(Reader& r, const YAML::Node& n, const std::string& path) {
  Match m;
  m.mark = r.MarkOf(n, path);
  if (!r.Map(n, path, {"order", "rules"})) return m;
  const YAML::Node order = n["order"];
  std::string order_path = Child(path, "order");
  if (!Reader::Present(order)) {
    r.Report(n, order_path, "the key 'order' is required", "list the sources, the primary one first");
  } else if (r.Seq(order, order_path, "[Contact, Customer-Loyalty]")) {
    m.order = r.Names(order, order_path);
  }
  const YAML::Node rules = n["rules"];
  std::string rules_path = Child(path, "rules");
  if (r.NamedMap(rules, rules_path, "the source")) {
    for (auto it = rules.begin(); it != rules.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      std::string source_path = Child(rules_path, it->first.Scalar());
      m.rules.push_back(SourceRules{NameRef{it->first.Scalar(), r.MarkOf(it->first, source_path)},
                                    ReadRules(r, it->second, source_path, RuleKind::kMatch)});
    }
  }
  return m;
}

size_t FindColumn(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (EqualsIgnoreCase(Trim(header[i]), name)) return i;
  }
  return header.size();
}

// A list of {source1, key1, source2, key2} items and {file: pairs.csv} items.
std::vector<CustomPair> ReadPairs(Reader& r, const YAML::Node& n, const std::string& path) {
  std::vector<CustomPair> pairs;
  if (!r.Seq(n, path, "[{source1: Contact, key1: CNTID_1000, source2: Customer-Loyalty, key2: LOYID_1003}]")) {
    return pairs;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    std::string item_path = Indexed(path, i);
    const YAML::Node item = n[i];
    if (item.IsMap() && item["file"].IsDefined()) {
      if (!r.Map(item, item_path, {"file"})) continue;
      std::string file = r.ExistingPath(item["file"], Child(item_path, "file"), "the pair file");
      std::vector<std::string> header;
      std::optional<std::vector<Reader::CsvRow>> rows;
      if (!file.empty()) rows = r.ReadCsvFile(file, item["file"], Child(item_path, "file"), &header);
      if (!rows) continue;
      size_t columns[4];
      const char* names[4] = {"Table1", "Table1Key", "Table2", "Table2Key"};
      bool complete = true;
      for (int k = 0; k < 4; ++k) {
        columns[k] = FindColumn(header, names[k]);
        if (columns[k] == header.size()) {
          r.Report(ConfigMark{file, 1, 0, Child(item_path, "file")}, "the header has no column " + Quote(names[k]),
                   "the header row must name Table1, Table1Key, Table2 and Table2Key");
          complete = false;
        }
      }
      if (!complete) continue;
      for (const Reader::CsvRow& row : *rows) {
        ConfigMark mark{file, row.line, 0, Child(item_path, "file")};
        auto field = [&](int k) { return columns[k] < row.fields.size() ? row.fields[columns[k]] : std::string(); };
        if (field(0).empty() || field(1).empty() || field(2).empty() || field(3).empty()) {
          r.Report(mark, "the row does not give all of Table1, Table1Key, Table2 and Table2Key");
          continue;
        }
        pairs.push_back(CustomPair{NameRef{field(0), mark}, field(1), NameRef{field(2), mark}, field(3), mark});
      }
      continue;
    }
    if (!r.Map(item, item_path, {"source1", "key1", "source2", "key2", "file"})) continue;
    CustomPair pair;
    pair.mark = r.MarkOf(item, item_path);
    pair.source1 = r.RequiredName(item, "source1", item_path);
    pair.key1 = r.RequiredText(item, "key1", item_path, "the primary key value of the record").value_or("");
    pair.source2 = r.RequiredName(item, "source2", item_path);
    pair.key2 = r.RequiredText(item, "key2", item_path, "the primary key value of the record").value_or("");
    if (!pair.source1.empty() && !pair.source2.empty() && !pair.key1.empty() && !pair.key2.empty()) {
      pairs.push_back(std::move(pair));
    }
  }
  return pairs;
}

// aliases: {list name: [[a, b], {file: f.csv}]}; the file's rows after the header give pairs (first two columns).
std::vector<AliasList> ReadAliases(Reader& r, const YAML::Node& n, const std::string& path) {
  std::vector<AliasList> lists;
  if (!r.NamedMap(n, path, "the alias list")) return lists;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    std::string list_path = Child(path, it->first.Scalar());
    AliasList list{it->first.Scalar(), {}, r.MarkOf(it->first, list_path)};
    const YAML::Node items = it->second;
    if (r.Seq(items, list_path, "[[Bob, Robert], [MSFT, Microsoft], {file: aliases.csv}]")) {
      for (size_t i = 0; i < items.size(); ++i) {
        std::string item_path = Indexed(list_path, i);
        const YAML::Node item = items[i];
        if (item.IsSequence() && item.size() == 2 && item[0].IsScalar() && item[1].IsScalar()) {
          list.pairs.emplace_back(item[0].Scalar(), item[1].Scalar());
        } else if (item.IsMap()) {
          if (!r.Map(item, item_path, {"file"})) continue;
          std::string file = r.ExistingPath(item["file"], Child(item_path, "file"), "the alias file");
          std::vector<std::string> header;
          std::optional<std::vector<Reader::CsvRow>> rows;
          if (!file.empty()) rows = r.ReadCsvFile(file, item["file"], Child(item_path, "file"), &header);
          for (const Reader::CsvRow& row : rows.value_or(std::vector<Reader::CsvRow>{})) {
            if (row.fields.size() < 2 || row.fields[0].empty() || row.fields[1].empty()) {
              r.Report(ConfigMark{file, row.line, 0, Child(item_path, "file")},
                       "an alias row needs two values (value, alias)");
              continue;
            }
            list.pairs.emplace_back(row.fields[0], row.fields[1]);
          }
        } else {
          r.Report(item, item_path, "expected a pair [value, alias] or {file: path}");
        }
      }
    }
    lists.push_back(std::move(list));
  }
  return lists;
}

// bypass: {list name: [value, {file: f.csv}]}; the file's rows after the header give values (first column).
std::vector<BypassList> ReadBypass(Reader& r, const YAML::Node& n, const std::string& path) {
  std::vector<BypassList> lists;
  if (!r.NamedMap(n, path, "the bypass list")) return lists;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    std::string list_path = Child(path, it->first.Scalar());
    BypassList list{it->first.Scalar(), {}, r.MarkOf(it->first, list_path)};
    const YAML::Node items = it->second;
    if (r.Seq(items, list_path, "['555-1212', test@contoso.com, {file: bypass.csv}]")) {
      for (size_t i = 0; i < items.size(); ++i) {
        std::string item_path = Indexed(list_path, i);
        const YAML::Node item = items[i];
        if (item.IsScalar()) {
          list.values.push_back(item.Scalar());
        } else if (item.IsMap()) {
          if (!r.Map(item, item_path, {"file"})) continue;
          std::string file = r.ExistingPath(item["file"], Child(item_path, "file"), "the bypass file");
          std::vector<std::string> header;
          std::optional<std::vector<Reader::CsvRow>> rows;
          if (!file.empty()) rows = r.ReadCsvFile(file, item["file"], Child(item_path, "file"), &header);
          for (const Reader::CsvRow& row : rows.value_or(std::vector<Reader::CsvRow>{})) {
            if (!row.fields[0].empty()) list.values.push_back(row.fields[0]);
          }
        } else {
          r.Report(item, item_path, "expected a value or {file: path}");
        }
      }
    }
    lists.push_back(std::move(list));
  }
  return lists;
}

SourceColumnRef ReadSourceColumn(Reader& r, const YAML::Node& n, const std::string& path) {
  SourceColumnRef ref;
  if (!r.Map(n, path, {"source", "column"})) return ref;
  ref.source = r.RequiredName(n, "source", path);
  ref.column = r.RequiredName(n, "column", path);
  return ref;
}

MergeField ReadMergeField(Reader& r, const YAML::Node& n, const std::string& path) {
  MergeField f;
  f.mark = r.MarkOf(n, path);
  if (!r.Map(n, path, {"name", "policy", "sources"})) return f;
  f.name = r.RequiredText(n, "name", path, "the name of the unified column").value_or("");
  f.policy = ReadMergePolicy(r, n["policy"], Child(path, "policy")).value_or(MergePolicy::kImportance);
  const YAML::Node sources = n["sources"];
  std::string sources_path = Child(path, "sources");
  if (!Reader::Present(sources)) {
    r.Report(n, sources_path, "the key 'sources' is required", "list {source, column} in order of importance");
  } else if (r.Seq(sources, sources_path, "[{source: Contact, column: EMail}]")) {
    for (size_t i = 0; i < sources.size(); ++i) {
      std::string item_path = Indexed(sources_path, i);
      FieldSource s;
      if (r.Map(sources[i], item_path, {"source", "column", "recency"})) {
        s.source = r.RequiredName(sources[i], "source", item_path);
        s.column = r.RequiredName(sources[i], "column", item_path);
        s.recency = r.Name(sources[i]["recency"], Child(item_path, "recency"));
      }
      f.sources.push_back(std::move(s));
    }
  }
  return f;
}

MergeGroup ReadMergeGroup(Reader& r, const YAML::Node& n, const std::string& path) {
  MergeGroup g;
  g.mark = r.MarkOf(n, path);
  if (!r.Map(n, path, {"name", "policy", "fields", "sources"})) return g;
  g.name = r.RequiredText(n, "name", path, "a name for the group, such as Address").value_or("");
  g.policy = ReadMergePolicy(r, n["policy"], Child(path, "policy")).value_or(MergePolicy::kImportance);
  std::string fields_path = Child(path, "fields");
  if (!Reader::Present(n["fields"])) {
    r.Report(n, fields_path, "the key 'fields' is required", "list the unified fields of the group");
  } else if (r.Seq(n["fields"], fields_path, "[Street, City, PostCode]")) {
    for (const NameRef& field : r.Names(n["fields"], fields_path)) {
      if (std::find(g.fields.begin(), g.fields.end(), field.name) != g.fields.end()) {
        r.Report(field.mark, "the field " + Quote(field.name) + " is listed twice");
      } else {
        g.fields.push_back(field.name);
      }
    }
    if (g.fields.size() > static_cast<size_t>(kMaxGroupFields)) {
      r.Report(n["fields"], fields_path, "a group has at most " + std::to_string(kMaxGroupFields) + " fields");
    }
  }
  const YAML::Node sources = n["sources"];
  std::string sources_path = Child(path, "sources");
  if (!Reader::Present(sources)) {
    r.Report(n, sources_path, "the key 'sources' is required",
             "list {source, columns: {field: column}} in order of importance");
  } else if (r.Seq(sources, sources_path, "[{source: Contact, columns: {City: City}}]")) {
    if (sources.size() > static_cast<size_t>(kMaxGroupSources)) {
      r.Report(sources, sources_path, "a group has at most " + std::to_string(kMaxGroupSources) + " sources");
    }
    for (size_t i = 0; i < sources.size(); ++i) {
      std::string item_path = Indexed(sources_path, i);
      GroupSource s;
      s.mark = r.MarkOf(sources[i], item_path);
      if (r.Map(sources[i], item_path, {"source", "columns", "recency"})) {
        s.source = r.RequiredName(sources[i], "source", item_path);
        s.recency = r.Name(sources[i]["recency"], Child(item_path, "recency"));
        const YAML::Node columns = sources[i]["columns"];
        std::string columns_path = Child(item_path, "columns");
        if (!Reader::Present(columns)) {
          r.Report(sources[i], columns_path, "the key 'columns' is required", "map each field to a column");
        } else if (r.NamedMap(columns, columns_path, "the field")) {
          for (auto it = columns.begin(); it != columns.end(); ++it) {
            if (!it->first.IsScalar()) continue;
            std::string field_path = Child(columns_path, it->first.Scalar());
            if (std::find(g.fields.begin(), g.fields.end(), it->first.Scalar()) == g.fields.end()) {
              std::string closest = ClosestName(it->first.Scalar(), g.fields);
              r.Report(
                  it->first, field_path, Quote(it->first.Scalar()) + " is not a field of the group",
                  closest.empty() ? "the fields are: " + Join(g.fields, ", ") : "did you mean " + Quote(closest) + "?");
              continue;
            }
            NameRef column = r.Name(it->second, field_path);
            if (!column.empty()) s.columns.emplace_back(it->first.Scalar(), std::move(column));
          }
        }
      }
      g.sources.push_back(std::move(s));
    }
  }
  return g;
}

Merge ReadMerge(Reader& r, const YAML::Node& n, const std::string& path) {
  Merge m;
  m.mark = r.MarkOf(n, path);
  if (!r.Map(n, path, {"fields", "groups", "auto_combine", "exclude", "recency"})) return m;
  const YAML::Node fields = n["fields"];
  std::string fields_path = Child(path, "fields");
  if (r.Seq(fields, fields_path)) {
    for (size_t i = 0; i < fields.size(); ++i)
      m.fields.push_back(ReadMergeField(r, fields[i], Indexed(fields_path, i)));
  }
  const YAML::Node groups = n["groups"];
  std::string groups_path = Child(path, "groups");
  if (r.Seq(groups, groups_path)) {
    for (size_t i = 0; i < groups.size(); ++i)
      m.groups.push_back(ReadMergeGroup(r, groups[i], Indexed(groups_path, i)));
  }
  m.auto_combine = r.Bool(n["auto_combine"], Child(path, "auto_combine")).value_or(true);
  const YAML::Node exclude = n["exclude"];
  std::string exclude_path = Child(path, "exclude");
  if (r.Seq(exclude, exclude_path, "[{source: Contact, column: Income}]")) {
    for (size_t i = 0; i < exclude.size(); ++i)
      m.exclude.push_back(ReadSourceColumn(r, exclude[i], Indexed(exclude_path, i)));
  }
  const YAML::Node recency = n["recency"];
  std::string recency_path = Child(path, "recency");
  if (r.NamedMap(recency, recency_path, "the source")) {
    for (auto it = recency.begin(); it != recency.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      std::string source_path = Child(recency_path, it->first.Scalar());
      m.recency.push_back(SourceColumnRef{NameRef{it->first.Scalar(), r.MarkOf(it->first, source_path)},
                                          r.Name(it->second, source_path)});
    }
  }
  return m;
}

Activity ReadActivity(Reader& r, const YAML::Node& n, const std::string& path) {
  Activity a;
  a.mark = r.MarkOf(n, path);
  if (!r.Map(n, path,
             {"name", "table", "csv", "key", "link", "timestamp", "type", "title", "description", "amount", "url"})) {
    return a;
  }
  a.name = ReadName(r, n, path);
  ReadLocation(r, n, path, &a.table, &a.table_mark, &a.csv_path);
  a.key = r.RequiredName(n, "key", path, "the activity's primary key column");
  const YAML::Node link = n["link"];
  std::string link_path = Child(path, "link");
  if (!Reader::Present(link)) {
    r.Report(n, link_path, "the key 'link' is required",
             "{source: Contact, column: ContactId}: the activity column holding that source's primary key");
  } else if (r.Map(link, link_path, {"source", "column"})) {
    a.link_source = r.RequiredName(link, "source", link_path, "the profile source whose primary key is referenced");
    a.link_column = r.RequiredName(link, "column", link_path, "the activity's column that holds that key");
  }
  const YAML::Node timestamp = n["timestamp"];
  std::string timestamp_path = Child(path, "timestamp");
  if (!Reader::Present(timestamp)) {
    r.Report(n, timestamp_path, "the key 'timestamp' is required", "{column: PurchasedOn, format: '%m/%d/%Y'}");
  } else if (timestamp.IsMap()) {
    if (r.Map(timestamp, timestamp_path, {"column", "format"})) {
      a.timestamp = r.RequiredName(timestamp, "column", timestamp_path);
      const YAML::Node format = timestamp["format"];
      a.timestamp_format = ReadFormat(r, format, Child(timestamp_path, "format"), false);
      a.timestamp_format_mark = r.MarkOf(format, Child(timestamp_path, "format"));
    }
  } else {
    a.timestamp = r.Name(timestamp, timestamp_path);
  }
  a.type = r.RequiredText(n, "type", path,
                          "SalesOrder, SalesOrderLine, Subscription, Loyalty, Feedback, Other or "
                          "a custom name")
               .value_or("");
  a.title = r.Name(n["title"], Child(path, "title"));
  a.description = r.Name(n["description"], Child(path, "description"));
  a.amount = r.Name(n["amount"], Child(path, "amount"));
  a.url = r.Name(n["url"], Child(path, "url"));
  return a;
}

void ReadOutput(Reader& r, const YAML::Node& n, const std::string& path, Output* out) {
  out->mark = r.MarkOf(n, path);
  if (!r.Map(n, path, {"folder"})) return;
  std::string folder_path = Child(path, "folder");
  std::optional<std::string> folder = r.Text(n["folder"], folder_path);
  if (!folder) return;
  std::string normalized = NormalizePath(*folder);
  if (folder->empty() || (*folder)[0] == '/' || normalized == "." || normalized.substr(0, 2) == "..") {
    r.Report(n["folder"], folder_path, "the folder " + Quote(*folder) + " is not inside the lake",
             "a lake-relative folder such as Unified");
    return;
  }
  out->folder = normalized;
}

void ReadLimits(Reader& r, const YAML::Node& n, const std::string& path, Limits* limits) {
  limits->mark = r.MarkOf(n, path);
  if (!r.Map(n, path, {"block_size_cap", "skew_share", "skew_min_rows", "skip_skewed"})) return;
  std::string cap_path = Child(path, "block_size_cap");
  if (std::optional<int64_t> cap = r.Int(n["block_size_cap"], cap_path)) {
    if (*cap < 2 || *cap > UINT32_MAX) {
      r.Report(n["block_size_cap"], cap_path, "the cap must be from 2 to 4294967295",
               "a block of one row compares nothing; 1000 rows are 499,500 pairs");
    } else {
      limits->block_size_cap = *cap;
    }
  }
  std::string share_path = Child(path, "skew_share");
  if (std::optional<double> share = r.Number(n["skew_share"], share_path)) {
    if (!(*share > 0 && *share <= 1)) {
      r.Report(n["skew_share"], share_path, "the share must be above 0 and at most 1", "0.05 means 5% of the rows");
    } else {
      limits->skew_share = *share;
    }
  }
  std::string rows_path = Child(path, "skew_min_rows");
  if (std::optional<int64_t> rows = r.Int(n["skew_min_rows"], rows_path)) {
    if (*rows < 0 || *rows > UINT32_MAX) {
      r.Report(n["skew_min_rows"], rows_path, "the count must be from 0 to 4294967295");
    } else {
      limits->skew_min_rows = *rows;
    }
  }
  limits->skip_skewed = r.Bool(n["skip_skewed"], Child(path, "skip_skewed")).value_or(true);
}

void ReadRoot(Reader& r, const YAML::Node& root, UnifyConfig* config) {
  if (!r.Map(root, "",
             {"version", "base_dir", "sources", "dedup", "match", "always_match", "never_match", "aliases", "bypass",
              "merge", "stable_id", "activities", "output", "limits", "resources"})) {
    return;
  }
  if (std::optional<int64_t> version = r.Int(root["version"], "version"); version && *version != 1) {
    r.Report(root["version"], "version", "unsupported version " + std::to_string(*version),
             "this cdmlake reads version 1");
  }
  std::string config_dir = DirName(AbsolutePath(r.file()));
  std::string base = config_dir;
  if (std::optional<std::string> dir = r.Text(root["base_dir"], "base_dir")) {
    base = NormalizePath(JoinPath(config_dir, *dir));
    std::optional<FileInfo> info = r.fs()->Stat(base);
    if (!info || !info->is_directory) {
      r.Report(root["base_dir"], "base_dir", "the directory " + Quote(base) + " does not exist",
               "base_dir is relative to the directory of the configuration file");
    }
  }
  r.set_base_dir(base);
  config->base_dir = base;

  const YAML::Node sources = root["sources"];
  if (!Reader::Present(sources)) {
    r.Report(root, "sources", "the key 'sources' is required", "list the profile tables to unify");
  } else if (r.Seq(sources, "sources")) {
    for (size_t i = 0; i < sources.size(); ++i)
      config->sources.push_back(ReadSource(r, sources[i], Indexed("sources", i)));
  }
  const YAML::Node dedup = root["dedup"];
  if (r.NamedMap(dedup, "dedup", "the source")) {
    for (auto it = dedup.begin(); it != dedup.end(); ++it) {
      if (it->first.IsScalar())
        config->dedup.push_back(ReadDedup(r, it->first, it->second, Child("dedup", it->first.Scalar())));
    }
  }
  if (!Reader::Present(root["match"])) {
    r.Report(root, "match", "the key 'match' is required", "match.order lists the sources, the primary one first");
  } else {
    config->match = ReadMatch(r, root["match"], "match");
  }
  config->always_match = ReadPairs(r, root["always_match"], "always_match");
  config->never_match = ReadPairs(r, root["never_match"], "never_match");
  config->aliases = ReadAliases(r, root["aliases"], "aliases");
  config->bypass = ReadBypass(r, root["bypass"], "bypass");
  if (Reader::Present(root["merge"])) config->merge = ReadMerge(r, root["merge"], "merge");
  config->stable_id_mark = r.MarkOf(root["stable_id"], "stable_id");
  if (r.Seq(root["stable_id"], "stable_id", "[NationalId]"))
    config->stable_id = r.Names(root["stable_id"], "stable_id");
  const YAML::Node activities = root["activities"];
  if (r.Seq(activities, "activities")) {
    for (size_t i = 0; i < activities.size(); ++i) {
      config->activities.push_back(ReadActivity(r, activities[i], Indexed("activities", i)));
    }
  }
  if (Reader::Present(root["output"])) ReadOutput(r, root["output"], "output", &config->output);
  if (Reader::Present(root["limits"])) ReadLimits(r, root["limits"], "limits", &config->limits);
  const YAML::Node resources = root["resources"];
  if (Reader::Present(resources) && r.Map(resources, "resources", {"nicknames"})) {
    config->resources.nicknames = r.ExistingPath(resources["nicknames"], "resources.nicknames", "the nickname file");
    config->resources.nicknames_mark = r.MarkOf(resources["nicknames"], "resources.nicknames");
  }
}

// yaml-cpp's messages ("unknown token") do not say what to do; the two usual causes of ours get a hint.
std::string SyntaxHint(std::string_view text, const YAML::Mark& mark) {
  std::vector<std::string> lines = Split(text, '\n');
  std::string line = mark.line >= 0 && static_cast<size_t>(mark.line) < lines.size() ? lines[mark.line] : "";
  std::string_view rest = mark.column >= 0 && static_cast<size_t>(mark.column) < line.size()
                              ? std::string_view(line).substr(mark.column)
                              : std::string_view();
  if (line.find('\t') != std::string::npos) return "YAML indents with spaces, not tabs";
  if (!rest.empty() && (rest[0] == '%' || rest[0] == '@' || rest[0] == '`')) {
    return "a value starting with " + std::string(1, rest[0]) + " must be quoted, as in format: '%m/%d/%Y'";
  }
  return "check the indentation and the brackets around this position";
}

}  // namespace

UnifyConfig ParseUnifyConfig(std::string_view text, const std::string& file, FileSystem* fs,
                             std::vector<ConfigProblem>* problems) {
  UnifyConfig config;
  config.file = file;
  Reader r(file, fs, problems);
  if (auto [line, column] = FirstInvalidUtf8(text); line > 0) {
    r.Report(ConfigMark{file, line, column, ""}, "the configuration is not UTF-8 text (a byte at this place)",
             "save it as UTF-8");
    return config;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    r.Report(ConfigMark{file, e.mark.line + 1, e.mark.column + 1, ""}, "YAML syntax error: " + e.msg,
             SyntaxHint(text, e.mark));
    return config;
  }
  if (!Reader::Present(root)) {
    r.Report(ConfigMark{file, 1, 1, ""}, "the configuration is empty", "see docs/unify.md for an example");
    return config;
  }
  try {
    ReadRoot(r, root, &config);
  } catch (const YAML::Exception& e) {
    // The reader indexes only maps, so this is not expected; a problem is still better than a crash.
    r.Report(ConfigMark{file, e.mark.line + 1, e.mark.column + 1, ""}, "cannot read the configuration: " + e.msg);
  }
  return config;
}

UnifyConfig LoadUnifyConfig(const std::string& path, FileSystem* fs) {
  std::string text = fs->ReadFile(path);
  std::vector<ConfigProblem> problems;
  UnifyConfig config = ParseUnifyConfig(text, path, fs, &problems);
  ThrowIfErrors(problems, path);
  return config;
}

}  // namespace cdmlake::unify
