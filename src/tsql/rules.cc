#include "tsql/rules.h"

#include <algorithm>
#include <set>

#include "util/strings.h"

namespace cdmlake::tsql {

void RuleContext::Report(const Token& at, std::string construct, std::string message) {
  for (const Unsupported& u : unsupported) {
    if (u.construct == construct && u.line == at.line && u.column == at.column) return;
  }
  unsupported.push_back(Unsupported{std::move(construct), at.line, at.column, std::move(message)});
}

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = {
      {"view_header", ViewHeader},
      {"strip_schema", StripSchema},
      {"strip_table_hints", StripTableHints},
      {"strip_collate", StripCollate},
      {"context_info_dates", ContextInfoDates},
      {"current_timestamp", CurrentTimestamp},
      {"national_literals", NationalLiterals},
      {"bracket_identifiers", BracketIdentifiers},
      {"quote_reserved_words", QuoteReservedWords},
      {"drop_hash_columns", DropHashColumns},
      {"top_to_limit", TopToLimit},
      {"stuff_for_xml_path", StuffForXmlPath},
      {"isnull_to_coalesce", IsNullToCoalesce},
      {"iif_to_case", IifToCase},
      {"cast_types", CastTypes},
      {"convert_styles", ConvertStyles},
      {"date_functions", DateFunctions},
      {"date_integer_arithmetic", DateIntegerArithmetic},
      {"string_functions", StringFunctions},
      {"string_concat", StringConcat},
      {"unsupported_constructs", UnsupportedConstructs},
  };
  return rules;
}

std::vector<size_t> TableReferenceStarts(const Tokens& tokens) {
  // Per paren level: whether a SELECT was seen in it (so FROM is a clause, not TRIM(x FROM y)) and whether we are
  // inside its FROM list (so a comma starts another table).
  struct Level {
    bool select = false;
    bool in_from = false;
  };
  std::vector<Level> levels(1);
  std::vector<size_t> starts;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    Level& level = levels.back();
    if (t.IsOp("(")) {
      levels.emplace_back();
      continue;
    }
    if (t.IsOp(")")) {
      if (levels.size() > 1) levels.pop_back();
      continue;
    }
    if (t.IsWord("SELECT")) {
      level.select = true;
      level.in_from = false;
    } else if (t.IsWord("FROM") && level.select) {
      level.in_from = true;
      starts.push_back(i + 1);
    } else if (t.IsWord("JOIN") || t.IsWord("APPLY")) {
      starts.push_back(i + 1);
    } else if (t.IsOp(",") && level.in_from) {
      starts.push_back(i + 1);
    } else if (t.IsWord("WHERE") || t.IsWord("GROUP") || t.IsWord("HAVING") || t.IsWord("ORDER") ||
               t.IsWord("UNION") || t.IsWord("EXCEPT") || t.IsWord("INTERSECT") ||
               t.IsWord("FOR") || t.IsWord("OPTION")) {
      level.in_from = false;
    }
  }
  std::vector<size_t> valid;
  for (size_t s : starts) {
    if (s < tokens.size()) valid.push_back(s);
  }
  return valid;
}

Range DottedName(const Tokens& tokens, size_t start) {
  if (start >= tokens.size() || !tokens[start].IsName()) return Range{start, start};
  size_t end = start + 1;
  while (end + 1 < tokens.size() && tokens[end].IsOp(".") && tokens[end + 1].IsName()) end += 2;
  return Range{start, end};
}

bool IsDuckDbReserved(std::string_view upper_word) {
  // DuckDB's reserved and type-or-function-name keywords (duckdb_keywords(); translator_duckdb_test checks the
  // list against the linked DuckDB).
  static const std::set<std::string, std::less<>> kReserved = {
      "ALL", "ANALYSE", "ANALYZE", "AND", "ANY", "ARRAY", "AS", "ASC", "ASYMMETRIC", "BOTH", "CASE", "CAST",
      "CHECK", "COLLATE", "COLUMN", "CONSTRAINT", "CREATE", "DEFAULT", "DEFERRABLE", "DESC", "DESCRIBE",
      "DISTINCT", "DO", "ELSE", "END", "EXCEPT", "FALSE", "FETCH", "FOR", "FOREIGN", "FROM", "GRANT", "GROUP",
      "HAVING", "IN", "INITIALLY", "INTERSECT", "INTO", "LAMBDA", "LATERAL", "LEADING", "LIMIT", "NOT", "NULL",
      "OFFSET", "ON", "ONLY", "OR", "ORDER", "PIVOT", "PIVOT_LONGER", "PIVOT_WIDER", "PLACING", "PRIMARY",
      "QUALIFY", "REFERENCES", "RETURNING", "SELECT", "SHOW", "SOME", "SUMMARIZE", "SYMMETRIC", "TABLE", "THEN",
      "TO", "TRAILING", "TRUE", "UNION", "UNIQUE", "UNPIVOT", "USING", "VARIADIC", "WHEN", "WHERE", "WINDOW",
      "WITH",
      // type_func_name keywords
      "ANTI", "ASOF", "AUTHORIZATION", "BINARY", "COLLATION", "CONCURRENTLY", "CROSS", "FREEZE", "FULL",
      "GENERATED", "GLOB", "ILIKE", "INNER", "IS", "ISNULL", "JOIN", "LEFT", "LIKE", "MAP", "NATURAL", "NOTNULL",
      "OUTER", "OVERLAPS", "POSITIONAL", "RIGHT", "SEMI", "SIMILAR", "STRUCT", "TABLESAMPLE", "TRY_CAST",
      "VERBOSE",
      // newer DuckDB releases
      "AT", "BY", "COLUMNS", "UNPACK"};
  return kReserved.count(upper_word) > 0;
}

bool LooksLikeDateColumn(const RuleContext& c, const Tokens& tokens, Range name) {
  if (name.empty()) return false;
  for (size_t i = name.begin; i < name.end; ++i) {
    if (!tokens[i].IsName() && !tokens[i].IsOp(".")) return false;
  }
  std::string last = ToUpper(tokens[name.end - 1].text);
  std::string full;
  for (size_t i = name.begin; i < name.end; ++i) full += tokens[i].IsOp(".") ? "." : ToUpper(tokens[i].text);
  for (const std::string& listed : c.options.date_columns) {
    std::string upper = ToUpper(listed);
    if (upper == full || upper == last) return true;
  }
  std::string stem = last;
  while (!stem.empty() && stem.back() >= '0' && stem.back() <= '9') stem.pop_back();
  return EndsWithIgnoreCase(stem, "DATE") || EndsWithIgnoreCase(stem, "DATETIME") ||
         EndsWithIgnoreCase(stem, "VALIDFROM") || EndsWithIgnoreCase(stem, "VALIDTO");
}

Tokens MakeCast(const Tokens& expr, const std::string& duckdb_type, const char* function) {
  Tokens out{MakeWord(function), MakeOp("(")};
  Append(&out, expr);
  out.push_back(MakeWord("AS"));
  out.push_back(MakeRaw(duckdb_type));
  out.push_back(MakeOp(")"));
  return out;
}

Tokens MakeCall(const std::string& name, const std::vector<Tokens>& args) {
  Tokens out{MakeWord(name), MakeOp("(")};
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out.push_back(MakeOp(","));
    Append(&out, args[i]);
  }
  out.push_back(MakeOp(")"));
  return out;
}

}  // namespace cdmlake::tsql
