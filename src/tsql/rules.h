// The named rewrite rules of the T-SQL translator. A rule is a function over the token list of one view
// definition; it returns whether it changed anything and reports what it cannot translate in the context, so a
// definition with several problems yields all of them in one run. Rules run in a fixed order (Rules()) because
// some build on others: the CREATE VIEW header goes first, `[x]` becomes `"x"` before reserved words are
// quoted, STUFF(... FOR XML PATH) is recognised before `+` turns into `||`, and the check for unsupported
// constructs runs last, on what the other rules left.
//
// Families: rules_syntax.cc (header, names, hints, select lists), rules_functions.cc (functions, types,
// operators), rules_check.cc (unsupported constructs). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tsql/token_list.h"
#include "tsql/translator.h"

namespace cdmlake::tsql {

struct RuleContext {
  Tokens tokens;
  TranslateOptions options;
  std::string view_name;                  // upper case, from the header (or options.view_name)
  std::vector<std::string> view_columns;  // the header's column list, when it has one
  std::vector<Unsupported> unsupported;

  // Records a construct that cannot be translated, at the position of `at` (once per construct and position).
  void Report(const Token& at, std::string construct, std::string message);
};

struct Rule {
  const char* name;
  bool (*apply)(RuleContext& context);
};

// Every rule, in the order TranslateView runs them.
const std::vector<Rule>& Rules();

// The rules (defined in the rules_*.cc files).
bool ViewHeader(RuleContext& c);
bool StripSchema(RuleContext& c);
bool StripTableHints(RuleContext& c);
bool StripCollate(RuleContext& c);
bool ContextInfoDates(RuleContext& c);
bool CurrentTimestamp(RuleContext& c);
bool NationalLiterals(RuleContext& c);
bool BracketIdentifiers(RuleContext& c);
bool QuoteReservedWords(RuleContext& c);
bool DropHashColumns(RuleContext& c);
bool TopToLimit(RuleContext& c);
bool StuffForXmlPath(RuleContext& c);
bool IsNullToCoalesce(RuleContext& c);
bool IifToCase(RuleContext& c);
bool CastTypes(RuleContext& c);
bool ConvertStyles(RuleContext& c);
bool DateFunctions(RuleContext& c);
bool DateIntegerArithmetic(RuleContext& c);
bool StringFunctions(RuleContext& c);
bool StringConcat(RuleContext& c);
bool UnsupportedConstructs(RuleContext& c);

// Shared helpers.

// Indexes of the tokens that start a table reference: the first token after FROM or JOIN of a query, and after
// each comma of an old-style FROM list. FROM inside a function call (TRIM(x FROM y)) does not count.
std::vector<size_t> TableReferenceStarts(const Tokens& tokens);
// For a table reference starting at `start`: the range of its dotted name (empty when it is not a name).
Range DottedName(const Tokens& tokens, size_t start);
// Whether a DuckDB keyword cannot be used as a bare column or table name (upper-case argument).
bool IsDuckDbReserved(std::string_view upper_word);
// The date-column heuristic of the date arithmetic and CONVERT rules: the name (last part, upper case) ends in
// DATE, DATETIME, DATE<digits>, DATETIME<digits>, VALIDFROM or VALIDTO, or is listed in options.date_columns.
bool LooksLikeDateColumn(const RuleContext& c, const Tokens& tokens, Range name);
// CAST ( expr AS <type> ) with the DuckDB type as a raw token, which the CAST rule leaves alone.
Tokens MakeCast(const Tokens& expr, const std::string& duckdb_type, const char* function = "CAST");
// A call name ( arg, arg... ).
Tokens MakeCall(const std::string& name, const std::vector<Tokens>& args);

}  // namespace cdmlake::tsql
