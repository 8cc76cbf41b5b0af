// Translation of D365 T-SQL view definitions (AXDB `sys.sql_modules`, EMEX views\dependencies.csv) into DuckDB
// SQL. The definition is tokenized (never rewritten with regular expressions over raw text) and a fixed list of
// named rewrite rules runs over the tokens; each rule has its own golden test (src/tsql/testdata/).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cdmlake::tsql {

struct TranslateOptions {
  // The entity name used to scope per-view rules (CDMUtil's ViewName); defaults to the view's own name.
  std::string view_name;
  // Columns known to hold dates (e.g. "STARTDATE1" or "T1.STARTDATE1"), for the rule that turns `date - 1` into
  // `date - INTERVAL (1) DAY`. Without types the rule guesses from the name (docs/tsql.md); list the others here.
  std::vector<std::string> date_columns;
};

// A construct the translator cannot turn into DuckDB SQL, with its position in the definition.
struct Unsupported {
  std::string construct;  // e.g. "CROSS APPLY", "OPENJSON", "@variable"
  int line = 0;           // 1-based, in the definition text
  int column = 0;
  std::string message;
};

struct Translation {
  std::string view_name;  // from the CREATE VIEW header, without schema or brackets, e.g. "SALESLINECUBEVIEW"
  // The DuckDB query (a SELECT, possibly with UNION ALL), to be used as `CREATE VIEW <name> AS <query>`.
  std::string query;
  // The objects (tables or views) the query reads, without schema, upper case, sorted and unique.
  std::vector<std::string> references;
  // The names of the rules that changed something, in the order they ran (for `--verbose` and the tests).
  std::vector<std::string> rules_applied;
  // Everything that could not be translated (empty on success); all of them, not only the first.
  std::vector<Unsupported> unsupported;

  bool ok() const { return unsupported.empty() && !query.empty(); }
};

// Translates one `CREATE [OR ALTER] VIEW [schema.]name [(columns)] AS <select>` definition. Never throws for
// bad SQL: problems are returned in Translation::unsupported.
Translation TranslateView(std::string_view definition, const TranslateOptions& options = {});

// The names of every rule, in the order they run (documentation and tests).
std::vector<std::string> RuleNames();

}  // namespace cdmlake::tsql
