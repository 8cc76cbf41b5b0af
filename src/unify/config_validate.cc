#include "unify/config_validate.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "unify/csv_header.h"
#include "util/strings.h"

namespace cdmlake::unify {
namespace {

// What the engine can do with a column's values: only text is normalized and compared fuzzily; dates compare
// with dates, numbers with numbers.
enum class Kind { kUnknown, kText, kDate, kNumber, kOther };

Kind KindOfType(std::string_view duckdb_type) {
  std::string t = ToUpper(duckdb_type);
  if (t.empty()) return Kind::kUnknown;
  size_t paren = t.find('(');
  if (paren != std::string::npos) t = t.substr(0, paren);
  if (t == "VARCHAR" || t == "TEXT" || t == "STRING" || t == "CHAR" || t == "BPCHAR" || t == "NVARCHAR") {
    return Kind::kText;
  }
  if (t == "DATE" || t == "DATETIME" || t.rfind("TIMESTAMP", 0) == 0 || t.rfind("TIME", 0) == 0) return Kind::kDate;
  static const std::set<std::string> kNumbers = {"TINYINT",  "SMALLINT",  "INTEGER",  "INT",     "BIGINT",   "HUGEINT",
                                                 "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "INT1",
                                                 "INT2",     "INT4",      "INT8",     "DECIMAL", "NUMERIC",  "DOUBLE",
                                                 "FLOAT",    "REAL",      "FLOAT4",   "FLOAT8"};
  if (kNumbers.count(t)) return Kind::kNumber;
  return Kind::kOther;
}

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kText: return "text";
    case Kind::kDate: return "a date";
    case Kind::kNumber: return "a number";
    case Kind::kOther: return "neither text, a date nor a number";
    case Kind::kUnknown: return "of unknown type";
  }
  return "?";
}

class Validator {
 public:
  Validator(const UnifyConfig& config, const SourceColumns& columns) : c_(config), columns_(columns) {
    for (const Source& s : c_.sources) source_names_.push_back(s.name);
    for (const AliasList& a : c_.aliases) alias_names_.push_back(a.name);
    for (const BypassList& b : c_.bypass) bypass_names_.push_back(b.name);
  }

  std::vector<ConfigProblem> Run() {
    CheckNames();
    for (const Source& s : c_.sources) CheckSource(s);
    CheckOrder();
    for (const Dedup& d : c_.dedup) CheckDedup(d);
    for (const SourceRules& rules : c_.match.rules) CheckMatchRules(rules);
    CheckPairs();
    CheckLists();
    CheckMerge();
    CheckStableId();
    for (const Activity& a : c_.activities) CheckActivity(a);
    return std::move(out_);
  }

 private:
  void Error(const ConfigMark& mark, std::string message, std::string hint = {}) {
    out_.push_back(ConfigProblem{ProblemSeverity::kError, mark, std::move(message), std::move(hint)});
  }
  void Warning(const ConfigMark& mark, std::string message, std::string hint = {}) {
    out_.push_back(ConfigProblem{ProblemSeverity::kWarning, mark, std::move(message), std::move(hint)});
  }

  static std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates,
                                std::string_view otherwise) {
    std::string closest = ClosestName(name, candidates);
    return closest.empty() ? std::string(otherwise) : "did you mean " + Quote(closest) + "?";
  }

  // The source named by ref, or null after reporting it.
  const Source* FindSource(const NameRef& ref, std::string_view what) {
    if (ref.empty()) return nullptr;
    if (const Source* s = c_.FindSource(ref.name)) return s;
    Error(
        ref.mark, std::string(what) + " names the unknown source " + Quote(ref.name),
        DidYouMean(ref.name, source_names_, "declare it under 'sources' (sources: " + Join(source_names_, ", ") + ")"));
    return nullptr;
  }

  const std::vector<ColumnInfo>* ColumnsOf(const std::string& name) const {
    auto it = columns_.find(name);
    return it == columns_.end() ? nullptr : &it->second;
  }

  const ColumnInfo* FindColumnInfo(const std::string& table, std::string_view column) const {
    const std::vector<ColumnInfo>* columns = ColumnsOf(table);
    if (!columns) return nullptr;
    for (const ColumnInfo& info : *columns) {
      if (info.name == column) return &info;
    }
    return nullptr;
  }

  // True when `column` exists in the data of `table` (or its columns are unknown); reports otherwise with the
  // closest name.
  bool Exists(const std::string& table, const NameRef& column, std::string_view what) {
    const std::vector<ColumnInfo>* columns = ColumnsOf(table);
    if (!columns || FindColumnInfo(table, column.name)) return true;
    std::vector<std::string> names;
    for (const ColumnInfo& info : *columns) names.push_back(info.name);
    std::string hint = DidYouMean(column.name, names, "the columns are: " + Join(names, ", "));
    // Names are matched exactly; a difference in case alone deserves saying so.
    for (const std::string& n : names) {
      if (EqualsIgnoreCase(n, column.name)) hint = "column names are case-sensitive: write " + Quote(n);
    }
    // The key path already says where (sources[0].primary_key): `what` is left empty then.
    Error(column.mark, (what.empty() ? std::string() : std::string(what) + ": ") + "unknown column " +
                           Quote(column.name) + " of " + Quote(table),
          hint);
    return false;
  }

  // Checks a column reference of a profile source: it exists and, unless it is the primary key, is mapped.
  bool CheckColumn(const Source& s, const NameRef& column, const std::string& what) {
    if (column.empty()) return false;
    if (!Exists(s.name, column, what)) return false;
    if (column.name != s.primary_key.name && !s.FindColumn(column.name)) {
      Error(column.mark, what + ": the column " + Quote(column.name) + " of " + Quote(s.name) + " is not mapped",
            "add it under the columns of source " + Quote(s.name) + " (with its semantic type, if any)");
      return false;
    }
    return true;
  }

  // What the engine will see: a format turns text into dates or numbers.
  Kind KindOf(const Source& s, std::string_view column) const {
    if (const ColumnMapping* m = s.FindColumn(column); m && !m->format.empty()) {
      return m->format == "number" ? Kind::kNumber : Kind::kDate;
    }
    const ColumnInfo* info = FindColumnInfo(s.name, column);
    return info ? KindOfType(info->type) : Kind::kUnknown;
  }

  std::string Describe(const Source& s, std::string_view column) const {
    const ColumnInfo* info = FindColumnInfo(s.name, column);
    std::string out = Quote(s.name + "." + std::string(column)) + " is " + std::string(KindName(KindOf(s, column)));
    if (info && !info->type.empty()) out += " (" + info->type + ")";
    return out;
  }

  // ---- sources ----

  void CheckNames() {
    std::vector<std::pair<std::string, ConfigMark>> names;
    for (const Source& s : c_.sources) names.emplace_back(s.name, s.mark);
    for (const Activity& a : c_.activities) names.emplace_back(a.name, a.mark);
    std::set<std::string> seen;
    for (const auto& [name, mark] : names) {
      if (!name.empty() && !seen.insert(ToLower(name)).second) {
        Error(mark, "the name " + Quote(name) + " is used by two sources or activities",
              "names become table and column names of the outputs (case-insensitive), so each must be unique");
      }
    }
  }

  void CheckSource(const Source& s) {
    if (!s.primary_key.empty()) Exists(s.name, s.primary_key, "");
    for (const ColumnMapping& m : s.columns) {
      if (!Exists(s.name, NameRef{m.name, m.mark}, "")) continue;
      const ColumnInfo* info = FindColumnInfo(s.name, m.name);
      if (info && !m.format.empty() && KindOfType(info->type) != Kind::kText &&
          KindOfType(info->type) != Kind::kUnknown) {
        Warning(m.mark, "the column " + Quote(m.name) + " is already " + info->type + "; its format is not used",
                "formats are for dates or numbers stored as text");
      }
    }
  }

  void CheckOrder() {
    const ConfigMark& mark = c_.match.mark;
    if (c_.match.order.empty()) {
      if (!c_.sources.empty()) Error(mark, "match.order is empty", "list the sources, the primary one first");
      return;
    }
    std::set<std::string> seen;
    for (const NameRef& ref : c_.match.order) {
      if (!FindSource(ref, "match.order")) continue;
      if (!seen.insert(ref.name).second) Error(ref.mark, "the source " + Quote(ref.name) + " is listed twice");
    }
    for (const Source& s : c_.sources) {
      if (!s.name.empty() && c_.Rank(s.name) < 0) {
        Error(s.mark, "the source " + Quote(s.name) + " is not in match.order",
              "every mapped source takes part in matching: add it to match.order (or remove the source)");
      }
    }
    const Source* primary = c_.FindSource(c_.match.order.front().name);
    if (primary && !primary->include_all) {
      Warning(primary->mark, "the primary source " + Quote(primary->name) + " does not include all records",
              "without include_all: true its unmatched records are dropped from Customer");
    }
    bool has_full_name = false;
    for (const Source& s : c_.sources) {
      for (const ColumnMapping& m : s.columns) has_full_name = has_full_name || m.semantic_type == "Person.FullName";
    }
    if (!has_full_name && !c_.sources.empty()) {
      Warning(c_.sources.front().mark, "no column is typed Person.FullName",
              "the customer card shows the Person.FullName field; give that type to the column holding the full name");
    }
    for (size_t i = 1; i < c_.match.order.size(); ++i) {
      const NameRef& ref = c_.match.order[i];
      bool has_rules = std::any_of(c_.match.rules.begin(), c_.match.rules.end(),
                                   [&](const SourceRules& r) { return r.source.name == ref.name && !r.rules.empty(); });
      const Source* s = c_.FindSource(ref.name);
      if (!has_rules && s) {
        Warning(ref.mark, "the source " + Quote(ref.name) + " has no match rules",
                s->include_all ? "each of its records becomes a profile of its own"
                               : "none of its records will reach Customer; add rules under match.rules");
      }
    }
  }

  // ---- rules ----

  void CheckLists(const Condition& cond) {
    for (const NameRef& ref : cond.aliases) {
      if (std::find(alias_names_.begin(), alias_names_.end(), ref.name) == alias_names_.end()) {
        Error(ref.mark, "unknown alias list " + Quote(ref.name),
              DidYouMean(ref.name, alias_names_, "define it under the top-level key 'aliases'"));
      }
      used_lists_.insert("a:" + ref.name);
    }
    for (const NameRef& ref : cond.bypass) {
      if (std::find(bypass_names_.begin(), bypass_names_.end(), ref.name) == bypass_names_.end()) {
        Error(ref.mark, "unknown bypass list " + Quote(ref.name),
              DidYouMean(ref.name, bypass_names_, "define it under the top-level key 'bypass'"));
      }
      used_lists_.insert("b:" + ref.name);
    }
  }

  // left belongs to `left_source` (the target; for dedup the source itself), right to `right_source`.
  void CheckCondition(const Condition& cond, const Source& left_source, const Source& right_source,
                      const std::string& what) {
    CheckLists(cond);
    bool left_ok = CheckColumn(left_source, cond.left, what);
    bool right_ok = &left_source == &right_source && cond.left.name == cond.right.name
                        ? left_ok
                        : CheckColumn(right_source, cond.right, what);
    if (!left_ok || !right_ok) return;
    Kind left = KindOf(left_source, cond.left.name);
    Kind right = KindOf(right_source, cond.right.name);
    const NameRef& sample = left != Kind::kText && left != Kind::kUnknown ? cond.left : cond.right;
    const Source& sample_source = &sample == &cond.left ? left_source : right_source;
    bool not_text =
        (left != Kind::kText && left != Kind::kUnknown) || (right != Kind::kText && right != Kind::kUnknown);
    if (not_text && cond.fuzzy()) {
      Error(cond.precision_mark,
            "fuzzy precision " + PrecisionName(cond.precision) + " needs text, but " +
                Describe(sample_source, sample.name),
            "only text compares fuzzily; use precision: exact for dates and numbers");
    }
    if (not_text && !cond.normalize.empty()) {
      bool phone =
          std::find(cond.normalize.begin(), cond.normalize.end(), Normalization::kPhone) != cond.normalize.end();
      Error(cond.mark,
            std::string(phone ? "type-phone needs" : "normalizations need") + " text, but " +
                Describe(sample_source, sample.name),
            phone ? "a phone number stored as a number has lost its leading zeros and '+'; map a text column"
                  : "remove 'normalize' from this condition");
    }
    if (left != right && left != Kind::kUnknown && right != Kind::kUnknown) {
      Error(cond.mark,
            "compares values of different kinds: " + Describe(left_source, cond.left.name) + ", " +
                Describe(right_source, cond.right.name),
            left == Kind::kDate || right == Kind::kDate
                ? "give a text column holding dates a format under its source's columns ({type: Person.BirthDate, "
                  "format: '%m/%d/%Y'}), so both sides are dates"
                : "compare columns holding the same kind of values");
    }
    if (std::find(cond.normalize.begin(), cond.normalize.end(), Normalization::kName) != cond.normalize.end() &&
        c_.resources.nicknames.empty() && !warned_nicknames_) {
      warned_nicknames_ = true;
      Warning(cond.mark, "type-name is used but no nickname file is configured",
              "without resources.nicknames, type-name canonicalizes titles only (Bob and Robert stay different)");
    }
  }

  void CheckRule(const Rule& rule, const Source& target, const Source& own, const std::string& what) {
    bool any_exact = false;
    for (const Condition& cond : rule.conditions) {
      CheckCondition(cond, target, own, what);
      any_exact = any_exact || !cond.fuzzy();
    }
    if (!any_exact && !rule.conditions.empty()) {
      Warning(rule.mark, "every condition of this rule is fuzzy",
              "a rule without an exact condition is blocked by q-grams under limits.block_size_cap, which is "
              "slower and may miss pairs; add an exact condition (e.g. postal code) where you can");
    }
    for (const RuleException& e : rule.exceptions) {
      for (const Condition& cond : e.conditions) CheckCondition(cond, target, own, what + " exception");
    }
  }

  // A winner's recency column: exists, is mapped, and orders rows (a date or a number).
  void CheckRecency(const Source& s, const NameRef& column, const std::string& what) {
    if (!CheckColumn(s, column, what)) return;
    Kind kind = KindOf(s, column.name);
    if (kind != Kind::kDate && kind != Kind::kNumber && kind != Kind::kUnknown) {
      Error(column.mark, what + ": " + Describe(s, column.name) + ", which does not order records by time",
            kind == Kind::kText ? "give the column a format under the source's columns, e.g. {format: '%m/%d/%Y'}"
                                : "use a date, timestamp or number column");
    }
  }

  void CheckWinner(const Source& s, const Winner& winner, const std::string& what) {
    if (winner.policy != WinnerPolicy::kMostFilled) CheckRecency(s, winner.recency, what);
  }

  void CheckDedup(const Dedup& d) {
    const Source* s = FindSource(d.source, "dedup");
    if (!s) return;
    for (const Rule& rule : d.rules) CheckRule(rule, *s, *s, "dedup rule");
    CheckWinner(*s, d.winner, "dedup winner");
    for (const ColumnWinner& cw : d.column_winners) {
      CheckColumn(*s, cw.column, "dedup column winner");
      CheckWinner(*s, cw.winner, "dedup column winner");
    }
  }

  void CheckMatchRules(const SourceRules& rules) {
    const Source* own = FindSource(rules.source, "match.rules");
    if (!own) return;
    int rank = c_.Rank(own->name);
    if (rank < 0) {
      Error(rules.source.mark, "rules for " + Quote(own->name) + ", which is not in match.order",
            "add it to match.order");
      return;
    }
    if (rank == 0) {
      Error(rules.source.mark, Quote(own->name) + " is the primary source; it has no higher-ranked source to match",
            "rules belong to the lower sources and name their target; for duplicates inside " + Quote(own->name) +
                " write dedup rules");
      return;
    }
    for (const Rule& rule : rules.rules) {
      const NameRef& target_ref = rule.target.empty() ? c_.match.order.front() : rule.target;
      const Source* target = rule.target.empty() ? c_.FindSource(target_ref.name) : FindSource(target_ref, "target");
      if (!target) continue;
      int target_rank = c_.Rank(target->name);
      if (target_rank < 0) continue;  // reported by CheckOrder
      if (target_rank >= rank) {
        Error(rule.target.empty() ? rule.mark : rule.target.mark,
              "the target " + Quote(target->name) + " ranks " + (target_rank == rank ? "the same as" : "below") + " " +
                  Quote(own->name) + " in match.order",
              "a source matches only sources listed before it; reorder match.order or move the rule under " +
                  Quote(target->name));
        continue;
      }
      CheckRule(rule, *target, *own, "match rule");
    }
  }

  // ---- custom pairs and lists ----

  void CheckPairs() {
    std::set<std::tuple<std::string, std::string, std::string, std::string>> always;
    auto key = [](const CustomPair& p) {
      // A pair is unordered: (A, a, B, b) equals (B, b, A, a).
      auto one = std::make_pair(p.source1.name, p.key1);
      auto two = std::make_pair(p.source2.name, p.key2);
      if (two < one) std::swap(one, two);
      return std::make_tuple(one.first, one.second, two.first, two.second);
    };
    for (const std::vector<CustomPair>* list : {&c_.always_match, &c_.never_match}) {
      std::string what = list == &c_.always_match ? "always_match" : "never_match";
      for (const CustomPair& p : *list) {
        const Source* one = FindSource(p.source1, what);
        const Source* two = FindSource(p.source2, what);
        if (!one || !two) continue;
        if (one == two && !HasDedupRules(one->name)) {
          Warning(p.mark, "a custom pair inside " + Quote(one->name) + ", which has no dedup rules",
                  "custom pairs of one source apply to deduplication, which needs at least one dedup rule");
        }
        if (list == &c_.always_match) {
          always.insert(key(p));
        } else if (always.count(key(p))) {
          Error(p.mark,
                "the pair " + p.source1.name + ":" + p.key1 + " / " + p.source2.name + ":" + p.key2 +
                    " is both in always_match and in never_match",
                "keep it in one of the two lists");
        }
      }
    }
  }

  bool HasDedupRules(const std::string& source) const {
    return std::any_of(c_.dedup.begin(), c_.dedup.end(),
                       [&](const Dedup& d) { return d.source.name == source && !d.rules.empty(); });
  }

  void CheckLists() {
    for (const AliasList& a : c_.aliases) {
      if (a.pairs.empty()) Warning(a.mark, "the alias list " + Quote(a.name) + " is empty");
      if (!used_lists_.count("a:" + a.name)) {
        Warning(a.mark, "the alias list " + Quote(a.name) + " is not used by any condition",
                "name it in a condition: aliases: [" + a.name + "]");
      }
    }
    for (const BypassList& b : c_.bypass) {
      if (b.values.empty()) Warning(b.mark, "the bypass list " + Quote(b.name) + " is empty");
      if (!used_lists_.count("b:" + b.name)) {
        Warning(b.mark, "the bypass list " + Quote(b.name) + " is not used by any condition",
                "name it in a condition: bypass: [" + b.name + "]");
      }
    }
  }

  // ---- merge ----

  // The recency column of `source` for a field or group with a most/least-recent policy.
  void CheckMergeRecency(const Source& s, const NameRef& own_recency, const ConfigMark& mark, const std::string& what,
                         MergePolicy policy) {
    if (policy == MergePolicy::kImportance) {
      if (!own_recency.empty()) Warning(own_recency.mark, "recency is not used by the importance policy");
      return;
    }
    NameRef recency = own_recency;
    if (recency.empty()) {
      for (const SourceColumnRef& r : c_.merge.recency) {
        if (r.source.name == s.name) recency = r.column;
      }
    }
    if (recency.empty()) {
      Error(mark,
            what + ": " + std::string(MergePolicyName(policy)) + " needs a recency column in every source, and " +
                Quote(s.name) + " has none",
            "set merge.recency." + s.name + " (or 'recency' on this entry) to a date or number column");
      return;
    }
    CheckRecency(s, recency, what + " recency");
  }

  void CheckMerge() {
    const Merge& m = c_.merge;
    std::set<std::string> names;
    auto unique_name = [&](const std::string& name, const ConfigMark& mark) {
      if (!name.empty() && !names.insert(ToLower(name)).second) {
        Error(mark, "two unified fields are named " + Quote(name),
              "unified field names must be unique (case-insensitive) across merge.fields and merge.groups");
      }
    };
    for (const MergeField& f : m.fields) {
      unique_name(f.name, f.mark);
      std::set<std::string> seen_sources;
      for (const FieldSource& fs : f.sources) {
        const Source* s = FindSource(fs.source, "merge field");
        if (!s) continue;
        if (!seen_sources.insert(s->name).second) {
          Error(fs.source.mark, "the source " + Quote(s->name) + " is listed twice in the field " + Quote(f.name),
                "a unified field takes at most one column per source");
        }
        CheckColumn(*s, fs.column, "merge field " + Quote(f.name));
        CheckMergeRecency(*s, fs.recency, fs.source.mark, "merge field " + Quote(f.name), f.policy);
      }
    }
    for (const MergeGroup& g : m.groups) {
      for (const std::string& field : g.fields) unique_name(field, g.mark);
      std::set<std::string> seen_sources;
      for (const GroupSource& gs : g.sources) {
        const Source* s = FindSource(gs.source, "merge group");
        if (!s) continue;
        if (!seen_sources.insert(s->name).second) {
          Error(gs.source.mark, "the source " + Quote(s->name) + " is listed twice in the group " + Quote(g.name),
                "a group takes its fields from one entry per source");
        }
        for (const auto& [field, column] : gs.columns) {
          CheckColumn(*s, column, "merge group " + Quote(g.name));
        }
        CheckMergeRecency(*s, gs.recency, gs.mark, "merge group " + Quote(g.name), g.policy);
      }
    }
    for (const SourceColumnRef& e : m.exclude) {
      if (const Source* s = FindSource(e.source, "merge.exclude")) CheckColumn(*s, e.column, "merge.exclude");
    }
    for (const SourceColumnRef& r : m.recency) {
      if (const Source* s = FindSource(r.source, "merge.recency")) CheckRecency(*s, r.column, "merge.recency");
    }
  }

  void CheckStableId() {
    if (c_.stable_id.size() > static_cast<size_t>(kMaxStableIdFields)) {
      Error(c_.stable_id_mark,
            "stable_id has " + std::to_string(c_.stable_id.size()) + " fields; at most " +
                std::to_string(kMaxStableIdFields) + " are allowed",
            "pick the few fields that never change, such as a national or customer number");
    }
    std::vector<std::string> names;
    for (const UnifiedField& f : UnifiedFields(c_)) names.push_back(f.name);
    std::set<std::string> seen;
    for (const NameRef& ref : c_.stable_id) {
      if (std::find(names.begin(), names.end(), ref.name) == names.end()) {
        Error(ref.mark, "stable_id names " + Quote(ref.name) + ", which is not a unified field",
              DidYouMean(ref.name, names, "the unified fields are: " + Join(names, ", ")));
      } else if (!seen.insert(ref.name).second) {
        Error(ref.mark, "the field " + Quote(ref.name) + " is listed twice in stable_id");
      }
    }
  }

  // ---- activities ----

  void CheckActivity(const Activity& a) {
    if (a.name.empty()) return;
    auto exists = [&](const NameRef& column, const char* what) {
      return !column.empty() && Exists(a.name, column, std::string("activity ") + Quote(a.name) + " " + what);
    };
    exists(a.key, "key");
    // The link column holds primary keys of a profile source; the CustomerId comes through AlternateKey.
    if (FindSource(a.link_source, "activity link")) exists(a.link_column, "link");
    if (exists(a.timestamp, "timestamp")) {
      const ColumnInfo* info = FindColumnInfo(a.name, a.timestamp.name);
      Kind kind = info ? KindOfType(info->type) : Kind::kUnknown;
      if (kind == Kind::kText && a.timestamp_format.empty()) {
        Error(a.timestamp.mark, "the timestamp column " + Quote(a.timestamp.name) + " is text and has no format",
              "write timestamp: {column: " + a.timestamp.name + ", format: '%m/%d/%Y'} with the pattern of its values");
      } else if (kind != Kind::kText && kind != Kind::kDate && kind != Kind::kUnknown) {
        Error(a.timestamp.mark,
              "the timestamp column " + Quote(a.timestamp.name) + " is " + std::string(KindName(kind)),
              "use a date or timestamp column, or text with a format");
      } else if (kind == Kind::kDate && !a.timestamp_format.empty()) {
        Warning(a.timestamp_format_mark, "the timestamp column is already a date; its format is not used");
      }
    }
    exists(a.title, "title");
    exists(a.description, "description");
    exists(a.amount, "amount");
    exists(a.url, "url");
  }

  const UnifyConfig& c_;
  const SourceColumns& columns_;
  std::vector<std::string> source_names_;
  std::vector<std::string> alias_names_;
  std::vector<std::string> bypass_names_;
  std::set<std::string> used_lists_;
  bool warned_nicknames_ = false;
  std::vector<ConfigProblem> out_;
};

}  // namespace

std::vector<ConfigProblem> ValidateUnifyConfig(const UnifyConfig& config, const SourceColumns& columns) {
  return Validator(config, columns).Run();
}

SourceColumns CsvSourceColumns(const UnifyConfig& config, FileSystem* fs) {
  SourceColumns out;
  auto add = [&](const std::string& name, const std::string& path) {
    if (name.empty() || path.empty()) return;
    std::vector<ColumnInfo>& columns = out[name];
    for (const std::string& header : ReadCsvHeader(fs, path)) columns.push_back(ColumnInfo{header, "VARCHAR"});
  };
  for (const Source& s : config.sources) add(s.name, s.csv_path);
  for (const Activity& a : config.activities) add(a.name, a.csv_path);
  return out;
}

}  // namespace cdmlake::unify
