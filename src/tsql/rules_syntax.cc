// Rules about names, the view header and select lists (see rules.h for the order they run in).
#include <algorithm>
#include <set>

#include "tsql/rules.h"
#include "util/strings.h"

namespace cdmlake::tsql {
namespace {

bool AnyWord(const Token& t, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (t.IsWord(w)) return true;
  }
  return false;
}

bool EndsQueryClause(const Token& t) {
  return AnyWord(t, {"FROM", "INTO", "WHERE", "GROUP", "HAVING", "ORDER", "UNION", "EXCEPT", "INTERSECT", "FOR",
                     "OPTION", "LIMIT"});
}

// The end of the query specification (one SELECT ... of a UNION chain) starting at `select`: the index of the
// UNION/EXCEPT/INTERSECT at its level, of the ')' closing its level, or tokens.size().
size_t SpecEnd(const Tokens& tokens, size_t select) {
  int depth = 0;
  for (size_t i = select + 1; i < tokens.size(); ++i) {
    if (tokens[i].IsOp("(")) ++depth;
    if (tokens[i].IsOp(")") && --depth < 0) return i;
    if (depth == 0 && AnyWord(tokens[i], {"UNION", "EXCEPT", "INTERSECT"})) return i;
  }
  return tokens.size();
}

// The range of the select list after the SELECT at `select` (past DISTINCT/ALL and TOP n [PERCENT]).
Range SelectList(const Tokens& tokens, size_t select) {
  size_t i = select + 1;
  if (i < tokens.size() && AnyWord(tokens[i], {"DISTINCT", "ALL"})) ++i;
  if (i < tokens.size() && tokens[i].IsWord("TOP")) {
    ++i;
    if (i < tokens.size() && tokens[i].IsOp("(")) {
      size_t close = MatchParen(tokens, i);
      i = close == kNone ? tokens.size() : close + 1;
    } else {
      ++i;
    }
    if (i < tokens.size() && tokens[i].IsWord("PERCENT")) ++i;
    if (i + 1 < tokens.size() && tokens[i].IsWord("WITH") && tokens[i + 1].IsWord("TIES")) i += 2;
  }
  size_t begin = std::min(i, tokens.size());
  int depth = 0;
  for (; i < tokens.size(); ++i) {
    if (tokens[i].IsOp("(")) ++depth;
    if (tokens[i].IsOp(")") && --depth < 0) break;
    if (depth == 0 && EndsQueryClause(tokens[i])) break;
  }
  return Range{begin, std::min(i, tokens.size())};  // truncated input (`SELECT TOP`) must not run past the end
}

// The alias of a select item (`expr AS name` or `expr name`), or nullptr.
const Token* AliasOf(const Tokens& tokens, Range item) {
  if (item.end < item.begin + 2) return nullptr;
  const Token& last = tokens[item.end - 1];
  const Token& prev = tokens[item.end - 2];
  if (!last.IsName()) return nullptr;
  if (prev.IsWord("AS")) return &last;
  bool expression_end = prev.IsOp(")") || prev.kind == TokenKind::kNumber || prev.kind == TokenKind::kString ||
                        prev.kind == TokenKind::kRaw || prev.IsName();
  return expression_end ? &last : nullptr;
}

}  // namespace

bool ViewHeader(RuleContext& c) {
  Tokens& t = c.tokens;
  // Trailing statement separators: `;` and a batch's `GO`.
  while (!t.empty() && (t.back().IsOp(";") || t.back().IsWord("GO"))) t.pop_back();
  // WITH CHECK OPTION at the end belongs to the view, not to the query.
  if (t.size() >= 3 && t[t.size() - 3].IsWord("WITH") && t[t.size() - 2].IsWord("CHECK") &&
      t.back().IsWord("OPTION")) {
    t.resize(t.size() - 3);
  }
  c.view_name = ToUpper(c.options.view_name);
  if (t.empty()) return false;
  size_t i = 0;
  if (!t[0].IsWord("CREATE") && !t[0].IsWord("ALTER")) {
    if (!t[0].IsWord("SELECT") && !t[0].IsWord("WITH") && !t[0].IsOp("(")) {
      c.Report(t[0], "CREATE VIEW", "expected CREATE VIEW <name> AS SELECT ... or a SELECT");
    }
    return false;
  }
  ++i;
  if (i + 1 < t.size() && t[i].IsWord("OR") && t[i + 1].IsWord("ALTER")) i += 2;
  if (i >= t.size() || !t[i].IsWord("VIEW")) {
    c.Report(t[0], "CREATE VIEW", "only CREATE VIEW definitions can be translated");
    return false;
  }
  ++i;
  Range name = DottedName(t, i);
  if (name.empty()) {
    c.Report(t[std::min(i, t.size() - 1)], "CREATE VIEW", "expected a view name after CREATE VIEW");
    return false;
  }
  std::string view_name = ToUpper(t[name.end - 1].text);
  if (c.view_name.empty()) c.view_name = view_name;
  i = name.end;
  if (i < t.size() && t[i].IsOp("(")) {
    size_t close = MatchParen(t, i);
    if (close == kNone) {
      c.Report(t[i], "CREATE VIEW", "unbalanced column list");
      return false;
    }
    for (size_t k = i + 1; k < close; ++k) {
      if (t[k].IsName()) c.view_columns.push_back(t[k].text);
    }
    i = close + 1;
  }
  // WITH SCHEMABINDING, ENCRYPTION, VIEW_METADATA: attributes of the SQL Server object only.
  if (i < t.size() && t[i].IsWord("WITH")) {
    ++i;
    while (i < t.size() && (AnyWord(t[i], {"SCHEMABINDING", "ENCRYPTION", "VIEW_METADATA"}) || t[i].IsOp(","))) ++i;
  }
  if (i >= t.size() || !t[i].IsWord("AS")) {
    c.Report(t[std::min(i, t.size() - 1)], "CREATE VIEW", "expected AS after the view name");
    return false;
  }
  t.erase(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(i + 1));
  // Translation::view_name is the view's own name, even when options.view_name scopes the rules differently.
  c.options.view_name = view_name;
  return true;
}

bool StripSchema(RuleContext& c) {
  Tokens& t = c.tokens;
  bool changed = false;
  // dbo. anywhere (tables, views, functions), in every spelling: dbo, DBO, [dbo].
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    bool after_dot = i > 0 && t[i - 1].IsOp(".");
    if (!after_dot && t[i].IsName() && EqualsIgnoreCase(t[i].text, "dbo") && t[i + 1].IsOp(".") &&
        t[i + 2].IsName()) {
      t.erase(t.begin() + static_cast<std::ptrdiff_t>(i), t.begin() + static_cast<std::ptrdiff_t>(i + 2));
      changed = true;
    }
  }
  // Any other schema (or database.schema) in front of a table name: the lake has one namespace.
  std::vector<size_t> starts = TableReferenceStarts(t);
  for (size_t k = starts.size(); k-- > 0;) {
    Range name = DottedName(t, starts[k]);
    if (name.end - name.begin > 1) {
      t.erase(t.begin() + static_cast<std::ptrdiff_t>(name.begin),
              t.begin() + static_cast<std::ptrdiff_t>(name.end - 1));
      changed = true;
    }
  }
  return changed;
}

bool StripTableHints(RuleContext& c) {
  static const std::set<std::string> kHints = {
      "NOLOCK",    "READUNCOMMITTED", "READCOMMITTED", "READCOMMITTEDLOCK", "REPEATABLEREAD", "SERIALIZABLE",
      "HOLDLOCK",  "UPDLOCK",         "XLOCK",         "ROWLOCK",           "PAGLOCK",        "TABLOCK",
      "TABLOCKX",  "NOWAIT",          "READPAST",      "FORCESEEK",         "FORCESCAN",      "NOEXPAND",
      "INDEX",     "KEEPIDENTITY",    "SNAPSHOT"};
  Tokens& t = c.tokens;
  bool changed = false;
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    bool with_form = t[i].IsWord("WITH") && t[i + 1].IsOp("(") && t[i + 2].kind == TokenKind::kWord &&
                     kHints.count(ToUpper(t[i + 2].text)) > 0;
    // The old form without WITH: `FROM T1 (NOLOCK)`; only the two hints that cannot be a function argument.
    bool bare_form = i > 0 && t[i].IsOp("(") && t[i - 1].IsName() &&
                     (t[i + 1].IsWord("NOLOCK") || t[i + 1].IsWord("READUNCOMMITTED")) && t[i + 2].IsOp(")");
    if (!with_form && !bare_form) continue;
    size_t open = with_form ? i + 1 : i;
    size_t close = MatchParen(t, open);
    if (close == kNone) continue;
    t.erase(t.begin() + static_cast<std::ptrdiff_t>(i), t.begin() + static_cast<std::ptrdiff_t>(close + 1));
    changed = true;
    --i;
  }
  return changed;
}

bool StripCollate(RuleContext& c) {
  // DuckDB compares with its own collation; T-SQL collation names mean nothing to it (docs/tsql.md).
  Tokens& t = c.tokens;
  bool changed = false;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (t[i].IsWord("COLLATE") && t[i + 1].IsName()) {
      t.erase(t.begin() + static_cast<std::ptrdiff_t>(i), t.begin() + static_cast<std::ptrdiff_t>(i + 2));
      changed = true;
      --i;
    }
  }
  return changed;
}

bool NationalLiterals(RuleContext& c) {
  bool changed = false;
  for (Token& t : c.tokens) {
    if (t.kind == TokenKind::kString && t.national) {
      t.national = false;
      changed = true;
    }
  }
  return changed;
}

bool BracketIdentifiers(RuleContext& c) {
  bool changed = false;
  for (Token& t : c.tokens) {
    if (t.kind == TokenKind::kQuoted && t.quote == '[') {
      t.quote = '"';
      changed = true;
    }
  }
  return changed;
}

bool QuoteReservedWords(RuleContext& c) {
  Tokens& t = c.tokens;
  bool changed = false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind != TokenKind::kWord) continue;
    const std::string& text = t[i].text;
    // T-SQL allows # $ @ inside names (PARTITION#2); DuckDB reads them only quoted. A leading # is a temp table.
    bool odd_chars = text[0] != '#' && text.find_first_of("#$@") != std::string::npos;
    bool reserved = IsDuckDbReserved(ToUpper(text));
    bool next_paren = i + 1 < t.size() && t[i + 1].IsOp("(");
    bool qualified = (i > 0 && t[i - 1].IsOp(".")) || (i + 1 < t.size() && t[i + 1].IsOp("."));
    bool alias = false;
    if (i > 0 && t[i - 1].IsWord("AS") && !next_paren) {
      // An alias, unless this AS belongs to CAST(x AS type).
      std::vector<int> depth = Depths(t);
      size_t open = kNone;
      for (size_t k = i; k-- > 0;) {
        if (t[k].IsOp("(") && depth[k] < depth[i]) {
          open = k;
          break;
        }
      }
      alias = open == kNone || open == 0 || !(t[open - 1].IsWord("CAST") || t[open - 1].IsWord("TRY_CAST"));
    }
    // Words DuckDB reserves but T-SQL does not, used bare as names.
    static const std::set<std::string, std::less<>> kDuckDbOnly = {
        "ANALYSE", "ANALYZE", "ARRAY",  "ASYMMETRIC", "BOTH",      "DEFERRABLE", "DESCRIBE",   "DO",
        "INITIALLY", "LAMBDA", "LATERAL", "LEADING", "LIMIT",      "ONLY",       "PLACING",    "QUALIFY",
        "RETURNING", "SHOW",  "SUMMARIZE", "SYMMETRIC", "TRAILING", "VARIADIC",  "WINDOW",     "ANTI",
        "ASOF",    "SEMI",    "POSITIONAL", "GLOB",   "ILIKE",      "SIMILAR",    "NOTNULL",    "FREEZE",
        "VERBOSE", "CONCURRENTLY", "COLLATION", "GENERATED", "STRUCT", "MAP", "PIVOT_LONGER", "PIVOT_WIDER",
        "TABLESAMPLE", "COLUMNS", "UNPACK"};
    bool duckdb_only = kDuckDbOnly.count(ToUpper(text)) > 0 && !next_paren;
    if (odd_chars || (reserved && (qualified || alias)) || duckdb_only) {
      t[i].kind = TokenKind::kQuoted;
      t[i].quote = '"';
      changed = true;
    }
  }
  return changed;
}

bool DropHashColumns(RuleContext& c) {
  Tokens& t = c.tokens;
  bool changed = false;
  std::set<size_t> done;
  for (size_t s = 0; s < t.size(); ++s) {
    if (!t[s].IsWord("SELECT") || done.count(s)) continue;
    // The UNION chain starting here: each branch's SELECT.
    std::vector<size_t> branches{s};
    for (size_t cur = s;;) {
      size_t end = SpecEnd(t, cur);
      if (end >= t.size() || t[end].IsOp(")")) break;
      size_t next = end + 1;
      while (next < t.size() && (t[next].IsWord("ALL") || t[next].IsWord("DISTINCT") || t[next].IsOp("("))) ++next;
      if (next >= t.size() || !t[next].IsWord("SELECT")) break;
      branches.push_back(next);
      done.insert(next);
      cur = next;
    }
    std::vector<std::vector<Range>> items;
    std::set<size_t> drop;
    for (size_t b : branches) {
      items.push_back(SplitTopLevel(t, SelectList(t, b)));
      for (size_t p = 0; p < items.back().size(); ++p) {
        const Token* alias = AliasOf(t, items.back()[p]);
        if (alias && alias->text.find('#') != std::string::npos) drop.insert(p);
      }
    }
    if (drop.empty() || drop.size() >= items[0].size()) continue;
    // Later branches carry no aliases: drop the same positions there too. Work from the end so that indexes
    // stay valid.
    for (size_t b = branches.size(); b-- > 0;) {
      const std::vector<Range>& list = items[b];
      if (list.size() != items[0].size()) continue;  // mismatched branch: leave it for DuckDB to report
      for (auto p = drop.rbegin(); p != drop.rend(); ++p) {
        Range r = list[*p];
        size_t begin = *p > 0 ? list[*p - 1].end : r.begin;                 // from the comma before it
        size_t end = *p > 0 ? r.end : std::min(r.end + 1, list.back().end);  // or through the comma after it
        t.erase(t.begin() + static_cast<std::ptrdiff_t>(begin), t.begin() + static_cast<std::ptrdiff_t>(end));
      }
    }
    if (s == 0 && c.view_columns.size() == items[0].size()) {
      for (auto p = drop.rbegin(); p != drop.rend(); ++p) c.view_columns.erase(c.view_columns.begin() + *p);
    }
    changed = true;
    done.clear();  // indexes moved; scan again from the start (chains already cleaned have nothing to drop)
    s = static_cast<size_t>(-1);
  }
  return changed;
}

bool TopToLimit(RuleContext& c) {
  Tokens& t = c.tokens;
  bool changed = false;
  for (size_t s = 0; s < t.size(); ++s) {
    if (!t[s].IsWord("SELECT")) continue;
    size_t top = s + 1;
    if (top < t.size() && (t[top].IsWord("DISTINCT") || t[top].IsWord("ALL"))) ++top;
    if (top >= t.size() || !t[top].IsWord("TOP")) continue;
    size_t i = top + 1;
    Tokens count;
    if (i < t.size() && t[i].IsOp("(")) {
      size_t close = MatchParen(t, i);
      if (close == kNone) continue;
      count = Slice(t, Range{i, close + 1});
      i = close + 1;
    } else if (i < t.size()) {
      count = {t[i++]};
    }
    bool percent = i < t.size() && t[i].IsWord("PERCENT");
    if (percent) ++i;
    if (i + 1 < t.size() && t[i].IsWord("WITH") && t[i + 1].IsWord("TIES")) {
      c.Report(t[top], "TOP WITH TIES", "TOP ... WITH TIES has no DuckDB equivalent");
      continue;
    }
    if (percent) {
      // TOP 100 PERCENT only lets a view carry ORDER BY in SQL Server; it selects everything.
      if (count.size() == 1 && count[0].text == "100") {
        t.erase(t.begin() + static_cast<std::ptrdiff_t>(top), t.begin() + static_cast<std::ptrdiff_t>(i));
        changed = true;
      } else {
        c.Report(t[top], "TOP PERCENT", "TOP n PERCENT is not translated");
      }
      continue;
    }
    size_t end = SpecEnd(t, s);
    bool in_union = (end < t.size() && !t[end].IsOp(")")) || (s > 0 && (t[s - 1].IsWord("ALL") ||
                                                                         t[s - 1].IsWord("UNION")));
    if (in_union) {
      c.Report(t[top], "TOP in UNION", "TOP inside a UNION branch is not translated");
      continue;
    }
    Tokens limit{MakeWord("LIMIT")};
    Append(&limit, count);
    t.insert(t.begin() + static_cast<std::ptrdiff_t>(end), limit.begin(), limit.end());
    t.erase(t.begin() + static_cast<std::ptrdiff_t>(top), t.begin() + static_cast<std::ptrdiff_t>(i));
    changed = true;
  }
  return changed;
}

}  // namespace cdmlake::tsql
