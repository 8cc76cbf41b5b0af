#include "entitystore/incremental_fact.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "engine/quote.h"
#include "entitystore/process_plan.h"
#include "entitystore/star_sql.h"
#include "tsql/tokenizer.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

using engine::QuoteIdentifier;

std::string Temp(const std::string& name) { return "temp." + QuoteIdentifier(name); }

// Constructs after which a view is not linear in the relations it reads (see incremental_fact.h).
const std::set<std::string> kNonLinearWords = {
    "GROUP", "DISTINCT", "OVER", "UNION", "EXCEPT", "INTERSECT", "EXISTS", "LIMIT", "TOP", "HAVING",
    "QUALIFY", "LEFT", "RIGHT", "FULL", "OUTER", "ANTI", "SEMI", "LATERAL", "WINDOW", "PIVOT", "UNPIVOT",
    "USING", "SAMPLE", "TABLESAMPLE", "RECURSIVE", "WITH"};
// Aggregate functions (an aggregate without GROUP BY folds the whole relation) and functions whose value
// differs between two runs.
const std::set<std::string> kNonLinearFunctions = {
    "COUNT", "SUM", "MIN", "MAX", "AVG", "STRING_AGG", "GROUP_CONCAT", "LISTAGG", "ARRAY_AGG", "LIST",
    "FIRST", "LAST", "ANY_VALUE", "ARG_MIN", "ARG_MAX", "BOOL_AND", "BOOL_OR", "MEDIAN", "MODE", "QUANTILE",
    "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "HISTOGRAM", "BIT_AND",
    "BIT_OR", "PRODUCT", "RANDOM", "NOW", "GETDATE", "GETUTCDATE", "NEWID", "GEN_RANDOM_UUID", "UUID",
    "CURRENT_DATE", "CURRENT_TIMESTAMP", "SYSDATETIME", "TODAY", "GET_CURRENT_TIMESTAMP"};

class LinearityCheck {
 public:
  LinearityCheck(const std::map<std::string, std::string>& views, std::string table)
      : views_(views), table_(ToUpper(table)) {}

  // How often the expansion of `name` reads the table; sets problem_ for a view on the path that is not linear.
  int Occurrences(const std::string& name) {
    const std::string upper = ToUpper(name);
    if (upper == table_) return 1;
    auto view = views_.find(upper);
    if (view == views_.end()) return 0;  // another lake table: a constant for this delta
    if (auto it = memo_.find(upper); it != memo_.end()) return it->second;
    memo_[upper] = 0;  // views form no cycles (SourcePlan refuses them); this only stops a bad package
    const std::vector<tsql::Token> tokens = tsql::Tokenize(view->second);
    int count = 0, selects = 0;
    std::string construct;
    for (size_t i = 0; i < tokens.size(); ++i) {
      const tsql::Token& t = tokens[i];
      if (t.kind == tsql::TokenKind::kComment) continue;
      if (t.kind == tsql::TokenKind::kWord && ToUpper(t.text) == "SELECT") ++selects;
      if (!t.IsName()) continue;
      const std::string word = ToUpper(t.text);
      const bool qualified_part = i > 0 && tokens[i - 1].IsOp(".");
      const bool call = i + 1 < tokens.size() && tokens[i + 1].IsOp("(");
      // LEFT( and RIGHT( are string functions, not joins.
      if (t.kind == tsql::TokenKind::kWord && kNonLinearWords.count(word) &&
          !(call && (word == "LEFT" || word == "RIGHT"))) {
        construct = word;
      }
      if (call && kNonLinearFunctions.count(word)) construct = word + "()";
      if (t.kind == tsql::TokenKind::kWord && kNonLinearFunctions.count(word) && word.starts_with("CURRENT_")) {
        construct = word;
      }
      if (call) continue;
      if (word == table_ && qualified_part) {
        problem_ = "view " + view->first + " reads " + table_ + " with a schema";
        continue;
      }
      if (qualified_part) continue;  // a column of an alias
      if (word != upper) count += Occurrences(word);
    }
    if (count > 0 && problem_.empty()) {
      if (selects != 1) {
        problem_ = "view " + view->first + " has a subquery or a set operation";
      } else if (!construct.empty()) {
        problem_ = "view " + view->first + " uses " + construct;
      }
    }
    memo_[upper] = count;
    return count;
  }

  std::string problem_;

 private:
  const std::map<std::string, std::string>& views_;
  const std::string table_;
  std::map<std::string, int> memo_;
};

// Column names and types of a relation, as `CAST(p."c" AS type) AS "c"` over the alias p.
std::string CastList(engine::Connection& connection, const std::string& typed_like, const std::string& alias) {
  std::string out;
  for (const auto& row : connection.Query("DESCRIBE SELECT * FROM " + typed_like).FetchAllText()) {
    const std::string name = row.at(0).value_or("");
    out += (out.empty() ? "" : ", ") + std::string("CAST(") + alias + "." + QuoteIdentifier(name) + " AS " +
           row.at(1).value_or("VARCHAR") + ") AS " + QuoteIdentifier(name);
  }
  return out;
}

std::string KeyMatch(const std::vector<std::string>& keys, const std::string& left, const std::string& right) {
  std::string out;
  for (const auto& k : keys) {
    out += (out.empty() ? "" : " AND ") + left + "." + QuoteIdentifier(k) + " IS NOT DISTINCT FROM " + right + "." +
           QuoteIdentifier(k);
  }
  return out;
}

int64_t Count(engine::Connection& connection, const std::string& relation) {
  return std::stoll(connection.Query("SELECT count(*) FROM " + relation).ScalarText());
}

std::vector<std::string> CalendarKeys(const StarSchema& schema, const FactTable& fact) {
  std::vector<std::string> keys;
  for (const auto& d : fact.dimensions) {
    for (const auto& dimension : schema.dimensions) {
      if (dimension.name == d.dimension_table && dimension.kind == DimensionKind::kCalendar) {
        keys.push_back(d.key_column);
      }
    }
  }
  return keys;
}

std::string DatesOf(const std::vector<std::string>& keys, const std::string& relation) {
  std::string dates;
  for (const auto& k : keys) {
    dates += (dates.empty() ? "" : " UNION ALL ") + std::string("SELECT CAST(") + QuoteIdentifier(k) +
             " AS DATE) AS d FROM " + relation;
  }
  return dates;
}

// Byte offset of a token in the text it was read from (tokens carry 1-based line and column).
size_t Offset(const std::string& text, const tsql::Token& token) {
  size_t at = 0;
  for (int line = 1; line < token.line; ++line) at = text.find('\n', at) + 1;
  return at + static_cast<size_t>(token.column) - 1;
}

// Words after which a name in a FROM clause is not followed by its alias.
const std::set<std::string> kNotAnAlias = {"JOIN", "CROSS", "INNER", "LEFT", "RIGHT", "FULL", "NATURAL", "ON",
                                           "WHERE", "GROUP", "ORDER", "HAVING", "QUALIFY", "WINDOW", "LIMIT",
                                           "POSITIONAL", "ASOF", "SEMI", "ANTI", "USING", "OUTER"};

// Copies of the views between a fact's source and the changed table T that also pass on T's column
// __cdmlake_side, so that one query gives fact(removed rows) and fact(added rows) apart (each other table is
// read once instead of twice). A view is copied by adding "<alias>.__cdmlake_side" to its select list, the
// alias being that of the one relation in its FROM clause that leads to T, and pointing that relation at its
// copy. Anything unexpected (a `*` select list, the relation not found at the top level) gives up: the caller
// then runs the fact's SQL once per side, as before.
class MarkedChain {
 public:
  MarkedChain(engine::Connection& connection, const std::map<std::string, std::string>& views, std::string table,
              std::string marked_rows, std::string prefix)
      : connection_(connection),
        views_(views),
        table_(ToUpper(table)),
        marked_rows_(std::move(marked_rows)),
        prefix_(std::move(prefix)),
        check_(views, table) {}

  // The relation to read instead of `name` (upper case): T's marked rows, or the marked copy of a view; nullopt
  // when the view cannot be marked.
  std::optional<std::string> Mark(const std::string& name) {
    if (name == table_) return marked_rows_;
    if (auto it = done_.find(name); it != done_.end()) return it->second;
    auto view = views_.find(name);
    if (view == views_.end()) return std::nullopt;
    const std::string& text = view->second;
    const std::vector<tsql::Token> tokens = tsql::Tokenize(text);
    int depth = 0;
    size_t select = tokens.size(), from = tokens.size();
    for (size_t i = 0; i < tokens.size() && from == tokens.size(); ++i) {
      const tsql::Token& t = tokens[i];
      if (t.IsOp("(")) ++depth;
      if (t.IsOp(")")) --depth;
      if (depth != 0 || t.kind != tsql::TokenKind::kWord) continue;
      if (t.IsWord("SELECT") && select == tokens.size()) select = i;
      if (t.IsWord("FROM") && select != tokens.size()) from = i;
    }
    if (from == tokens.size()) return std::nullopt;
    depth = 0;
    for (size_t i = select + 1; i < from; ++i) {
      if (tokens[i].IsOp("(")) ++depth;
      if (tokens[i].IsOp(")")) --depth;
      // `*` or `x.*`: T's column may already pass (or not), so do not guess.
      if (depth == 0 && tokens[i].IsOp("*") && (tokens[i - 1].IsOp(",") || tokens[i - 1].IsOp(".") || i == select + 1)) {
        return std::nullopt;
      }
    }
    // The one top-level relation of the FROM clause that leads to T.
    size_t found = tokens.size();
    depth = 0;
    for (size_t i = from + 1; i < tokens.size(); ++i) {
      const tsql::Token& t = tokens[i];
      if (t.IsOp("(")) ++depth;
      if (t.IsOp(")")) --depth;
      if (depth != 0 || !t.IsName()) continue;
      if (t.kind == tsql::TokenKind::kWord && (t.IsWord("WHERE") || t.IsWord("GROUP") || t.IsWord("ORDER"))) break;
      const bool qualified = (i > 0 && tokens[i - 1].IsOp(".")) || (i + 1 < tokens.size() && tokens[i + 1].IsOp("."));
      const bool call = i + 1 < tokens.size() && tokens[i + 1].IsOp("(");
      if (qualified || call) continue;
      const std::string word = ToUpper(t.text);
      if (word != table_ && (!views_.count(word) || word == name)) continue;
      if (check_.Occurrences(word) == 0) continue;
      if (found != tokens.size()) return std::nullopt;
      found = i;
    }
    if (found == tokens.size()) return std::nullopt;
    const std::string inner = ToUpper(tokens[found].text);
    std::optional<std::string> relation = Mark(inner);
    if (!relation) return std::nullopt;
    std::string alias;
    size_t next = found + 1;
    if (next < tokens.size() && tokens[next].IsWord("AS")) ++next;
    if (next < tokens.size() && tokens[next].IsName() &&
        !(tokens[next].kind == tsql::TokenKind::kWord && kNotAnAlias.count(ToUpper(tokens[next].text)))) {
      alias = QuoteIdentifier(tokens[next].text);
    }
    std::string replaced = text;
    const size_t at = Offset(text, tokens[found]);
    const size_t end = found + 1 < tokens.size() ? Offset(text, tokens[found + 1]) : text.size();
    // The marked relation under the old name's alias (its own name when it had none).
    std::string reference = *relation;
    if (alias.empty()) {
      alias = QuoteIdentifier(tokens[found].text);
      reference += " AS " + alias;
    }
    replaced = replaced.substr(0, at) + reference + " " + replaced.substr(end);
    const size_t from_at = Offset(text, tokens[from]);  // before `at`: the edit above left it in place
    replaced = replaced.substr(0, from_at) + ", " + alias + "." + QuoteIdentifier(kSide) + " AS " +
               QuoteIdentifier(kSide) + " " + replaced.substr(from_at);
    const std::string copy = prefix_ + name;
    connection_.Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(copy) + " AS " + replaced);
    done_[name] = Temp(copy);
    return done_[name];
  }

  static constexpr const char* kSide = kMarkedSideColumn;

 private:
  engine::Connection& connection_;
  const std::map<std::string, std::string>& views_;
  const std::string table_;
  const std::string marked_rows_;  // T's removed and added rows with the column kSide
  const std::string prefix_;
  LinearityCheck check_;
  std::map<std::string, std::string> done_;
};

// Points the session's view of a refreshed table at other rows, and back at its current state when destroyed.
class ViewSubstitution {
 public:
  ViewSubstitution(engine::Connection& connection, const cdm::Entity& entity, std::string current)
      : connection_(connection),
        view_(engine::QuoteQualified(entity.schema, entity.name)),
        current_(std::move(current)) {}
  ~ViewSubstitution() {
    try {
      connection_.Execute("CREATE OR REPLACE VIEW " + view_ + " AS SELECT * FROM read_parquet(" +
                          engine::QuoteFilePath(current_) + ")");
    } catch (...) {
      // The session is discarded after a failed run; nothing is committed from it.
    }
  }
  void PointAt(const std::string& relation) {
    connection_.Execute("CREATE OR REPLACE VIEW " + view_ + " AS SELECT * FROM " + relation);
  }

 private:
  engine::Connection& connection_;
  std::string view_;
  std::string current_;
};

}  // namespace

std::map<std::string, std::string> ViewQueries(const SourcePlan& plan) {
  std::map<std::string, std::string> out;
  for (const auto& v : plan.views()) out[v.name] = v.translation.query;
  return out;
}

std::string LinearityProblem(const std::map<std::string, std::string>& views, const std::string& root,
                             const std::string& table) {
  LinearityCheck check(views, table);
  int occurrences = check.Occurrences(root);
  if (!check.problem_.empty()) return check.problem_;
  if (occurrences != 1) {
    return ToUpper(root) + " reads " + ToUpper(table) + " " + std::to_string(occurrences) + " times";
  }
  return "";
}

std::optional<std::string> MarkedSource(engine::Connection& connection, const std::map<std::string, std::string>& views,
                                        const std::string& table, const std::string& marked_rows,
                                        const std::string& prefix, const std::string& source) {
  return MarkedChain(connection, views, table, marked_rows, prefix).Mark(ToUpper(source));
}

DateRange FactDateRange(engine::Connection& connection, const StarSchema& schema, const FactTable& fact,
                        const std::string& relation) {
  const std::vector<std::string> keys = CalendarKeys(schema, fact);
  if (keys.empty()) return {};
  auto rows = connection.Query("SELECT CAST(min(d) AS VARCHAR), CAST(max(d) AS VARCHAR) FROM (" +
                               DatesOf(keys, relation) + ")").FetchAllText();
  if (rows.empty()) return {};
  return {rows[0].at(0), rows[0].at(1)};
}

std::string FactPartitionKey(const StarSchema& schema, const FactTable& fact) {
  const std::vector<std::string> keys = CalendarKeys(schema, fact);
  return keys.empty() ? "" : keys[0];
}

std::string MonthOf(const std::string& key) {
  return "COALESCE(strftime(CAST(" + QuoteIdentifier(key) + " AS DATE), '%Y-%m'), 'none')";
}

std::string FactPartitionBy(const StarSchema& schema, const FactTable& fact) {
  const std::string key = FactPartitionKey(schema, fact);
  return key.empty() ? "" : MonthOf(key);
}

FactDeltaResult ApplyFactDelta(lake::LakeSession& session, const lake::Catalog& catalog, const StarSchema& schema,
                               const FactTable& fact, const SourceDelta& delta, const PreviousFactOutput& previous,
                               const DateRange& previous_dates, const std::map<std::string, std::string>& views) {
  engine::Connection& connection = session.connection();
  const cdm::Entity* entity = catalog.Find(delta.table);
  const std::string current = entity ? session.CurrentStateFile(*entity) : "";
  if (!entity || current.empty()) {
    throw Error(ErrorKind::kInternal, "no current state of " + delta.table + " to apply changes from",
                Location{"", 0, fact.name});
  }
  const std::string prefix = "__cdmlake_inc_" + fact.name + "_";
  const std::string removed = prefix + "removed", added = prefix + "added";
  FactDeltaResult result;
  {
    ViewSubstitution substitution(connection, *entity, current);
    // Both sides in one query when the views can pass a marker on: the other tables are read once.
    std::optional<std::string> source;
    const std::string side = QuoteIdentifier(MarkedChain::kSide);
    if (!views.empty()) {
      // The copy of the view reading T reads the marked rows instead (the session's view of T and main's
      // view over it are plain projections of its rows; they stay as they are, bound to T's columns).
      const std::string marked_rows = "(SELECT *, 0 AS " + side + " FROM " + delta.removed +
                                      " UNION ALL SELECT *, 1 AS " + side + " FROM " + delta.added + ")";
      try {
        source = MarkedSource(connection, views, delta.table, marked_rows, prefix + "marked_", fact.source);
      } catch (const engine::EngineError&) {
        source.reset();  // a copy DuckDB does not accept: one query per side
      }
    }
    if (source && ToUpper(fact.source) != ToUpper(delta.table)) {
      const std::string both = prefix + "both";
      FactTable marked = fact;
      marked.columns.push_back({MarkedChain::kSide, {ColumnExpr::Kind::kField, {MarkedChain::kSide}, "", {}},
                                ColumnRole::kSystem});
      const std::string select = FactSelect(marked, Dialect::kDuckDb);
      const std::string from = " FROM " + QuoteName(Dialect::kDuckDb, marked.source);
      const size_t at = select.rfind(from);
      if (at == std::string::npos) throw Error(ErrorKind::kInternal, "unexpected fact SQL: " + select);
      connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(both) + " AS " + select.substr(0, at) +
                         " FROM " + *source);
      for (const auto& [name, code] : {std::pair(removed, "0"), std::pair(added, "1")}) {
        connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(name) + " AS SELECT * EXCLUDE (" + side +
                           ") FROM " + Temp(both) + " WHERE " + side + " = " + code);
      }
      connection.Execute("DROP TABLE " + Temp(both));
      result.one_pass = true;
    } else {
      substitution.PointAt(delta.removed);
      connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(removed) + " AS SELECT * FROM (" +
                         FactSelect(fact, Dialect::kDuckDb) + ") AS f");
      substitution.PointAt(delta.added);
      connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(added) + " AS SELECT * FROM (" +
                         FactSelect(fact, Dialect::kDuckDb) + ") AS f");
    }
  }
  result.removed = Count(connection, Temp(removed));
  result.added = Count(connection, Temp(added));

  // The aggregate groups touched, then their rows in the new fact: (previous rows of G) - fact(R) + fact(A).
  const std::vector<std::string> keys = AggregateKeys(fact);
  std::vector<std::string> quoted;
  for (const auto& k : keys) quoted.push_back(QuoteIdentifier(k));
  const std::string groups = prefix + "groups", rows = prefix + "rows";
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(groups) + " AS SELECT " + Join(quoted, ", ") +
                     " FROM " + Temp(removed) + " UNION SELECT " + Join(quoted, ", ") + " FROM " + Temp(added));
  result.groups = Count(connection, Temp(groups));

  // Only the partitions holding a touched group are read and rewritten; the others are carried over.
  const std::string aggregate = AggregateEntityName(fact);
  std::string previous_fact, previous_aggregate;
  if (previous.partition_by.empty()) {
    previous_fact = previous.rows(fact.name, {}, true);
    previous_aggregate = previous.rows(aggregate, {}, true);
  } else {
    for (const auto& row : connection.Query("SELECT DISTINCT " + previous.partition_by + " FROM " + Temp(groups) +
                                            " ORDER BY 1").FetchAllText()) {
      result.partitions.push_back(row.at(0).value_or("none"));
    }
    previous_fact = previous.rows(fact.name, result.partitions, false);
    previous_aggregate = previous.rows(aggregate, result.partitions, false);
  }
  const std::string previous_typed = CastList(connection, Temp(added), "p");
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(rows) + " AS (SELECT " + previous_typed +
                     " FROM " + previous_fact + " p SEMI JOIN " + Temp(groups) + " g ON " + KeyMatch(keys, "p", "g") +
                     " EXCEPT ALL SELECT * FROM " + Temp(removed) + ") UNION ALL SELECT * FROM " + Temp(added));

  const std::string fact_view = prefix + "fact", aggregate_rows = prefix + "agg_rows", aggregate_view = prefix + "agg";
  connection.Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(fact_view) + " AS SELECT " + previous_typed +
                     " FROM " + previous_fact + " p ANTI JOIN " + Temp(groups) + " g ON " + KeyMatch(keys, "p", "g") +
                     " UNION ALL SELECT * FROM " + Temp(rows));
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(aggregate_rows) + " AS " +
                     AggregateSelect(fact, Temp(rows)));
  const std::string aggregate_before = prefix + "agg_before";
  const std::string aggregate_typed = CastList(connection, Temp(aggregate_rows), "p");
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(aggregate_before) + " AS SELECT " +
                     aggregate_typed + " FROM " + previous_aggregate + " p SEMI JOIN " + Temp(groups) + " g ON " +
                     KeyMatch(keys, "p", "g"));
  result.touched_before = Temp(aggregate_before);
  result.touched_after = Temp(aggregate_rows);
  // A table, not a view: the rollup reads the aggregate several times (rollup.h chooses its attributes from
  // distinct counts) before it is written.
  connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(aggregate_view) + " AS SELECT " +
                     aggregate_typed + " FROM " + previous_aggregate + " p ANTI JOIN " +
                     Temp(groups) + " g ON " + KeyMatch(keys, "p", "g") + " UNION ALL SELECT * FROM " +
                     Temp(aggregate_rows));
  result.written_fact = result.fact = Temp(fact_view);
  result.written_aggregate = result.aggregate = Temp(aggregate_view);
  result.aggregate_cast = aggregate_typed;
  if (!previous.partition_by.empty()) {
    // The whole new fact and aggregate, for what reads them before the write (the rollup, the date range).
    const std::string whole_fact = prefix + "whole_fact", whole_aggregate = prefix + "whole_agg";
    connection.Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(whole_fact) + " AS SELECT * FROM " +
                       Temp(fact_view) + " UNION ALL SELECT " + previous_typed + " FROM " +
                       previous.rows(fact.name, result.partitions, true) + " p");
    connection.Execute("CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(whole_aggregate) + " AS SELECT * FROM " +
                       Temp(aggregate_view) + " UNION ALL SELECT " + aggregate_typed + " FROM " +
                       previous.rows(aggregate, result.partitions, true) + " p");
    result.fact = Temp(whole_fact);
    result.aggregate = Temp(whole_aggregate);
  }

  // The date range moves only when added rows lie outside it or removed rows lay on its edge; then it is read
  // from the new aggregate, whose keys include the calendar keys (the same values, fewer rows).
  const std::vector<std::string> calendar_keys = CalendarKeys(schema, fact);
  if (!calendar_keys.empty()) {
    bool edge = false;
    if (previous_dates.first && previous_dates.second && result.removed > 0) {
      edge = std::stoll(connection.Query("SELECT count(*) FROM (" + DatesOf(calendar_keys, Temp(removed)) +
                                         ") WHERE d IN (CAST(" + engine::QuoteLiteral(*previous_dates.first) +
                                         " AS DATE), CAST(" + engine::QuoteLiteral(*previous_dates.second) +
                                         " AS DATE))").ScalarText()) > 0;
    }
    if (edge || !previous_dates.first || !previous_dates.second) {
      result.dates = FactDateRange(connection, schema, fact, result.aggregate);
    } else {
      auto range = connection.Query("SELECT CAST(min(d) AS VARCHAR), CAST(max(d) AS VARCHAR) FROM (SELECT CAST(" +
                                    engine::QuoteLiteral(*previous_dates.first) + " AS DATE) AS d UNION ALL SELECT CAST(" +
                                    engine::QuoteLiteral(*previous_dates.second) + " AS DATE) UNION ALL " +
                                    DatesOf(calendar_keys, Temp(added)) + ")").FetchAllText();
      result.dates = {range.at(0).at(0), range.at(0).at(1)};
    }
  }
  return result;
}

}  // namespace cdmlake::entitystore
