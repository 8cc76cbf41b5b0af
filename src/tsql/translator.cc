#include "tsql/translator.h"

#include <algorithm>
#include <set>

#include "tsql/rules.h"
#include "util/strings.h"

namespace cdmlake::tsql {
namespace {

// Names defined by WITH name [(columns)] AS (...): they are not objects the view reads.
std::set<std::string> CteNames(const Tokens& t) {
  std::set<std::string> names;
  for (size_t i = 1; i + 2 < t.size(); ++i) {
    if (!t[i].IsName() || !(t[i - 1].IsWord("WITH") || t[i - 1].IsOp(","))) continue;
    size_t k = i + 1;
    if (t[k].IsOp("(")) {
      size_t close = MatchParen(t, k);
      if (close == kNone) continue;
      k = close + 1;
    }
    if (k + 1 < t.size() && t[k].IsWord("AS") && t[k + 1].IsOp("(")) names.insert(ToUpper(t[i].text));
  }
  return names;
}

std::vector<std::string> References(const Tokens& t) {
  std::set<std::string> ctes = CteNames(t);
  std::set<std::string> names;
  for (size_t start : TableReferenceStarts(t)) {
    Range name = DottedName(t, start);
    if (name.empty() || (name.end < t.size() && t[name.end].IsOp("("))) continue;
    std::string upper = ToUpper(t[name.end - 1].text);
    if (!ctes.count(upper) && upper[0] != '#') names.insert(upper);  // #temp tables are reported, not read
  }
  return std::vector<std::string>(names.begin(), names.end());
}

}  // namespace

std::vector<std::string> RuleNames() {
  std::vector<std::string> names;
  for (const Rule& rule : Rules()) names.push_back(rule.name);
  return names;
}

Translation TranslateView(std::string_view definition, const TranslateOptions& options) {
  RuleContext context;
  context.options = options;
  for (Token& token : Tokenize(definition)) {
    if (token.kind != TokenKind::kComment) context.tokens.push_back(std::move(token));
  }
  Translation out;
  for (const Rule& rule : Rules()) {
    if (rule.apply(context)) out.rules_applied.push_back(rule.name);
  }
  Tokens& tokens = context.tokens;
  // A header column list renames the query's columns: SELECT * FROM (query) AS v(a, b).
  if (!context.view_columns.empty()) {
    Tokens wrapped = Fragment("SELECT * FROM (");
    Append(&wrapped, tokens);
    Append(&wrapped, Fragment(") AS v("));
    for (size_t i = 0; i < context.view_columns.size(); ++i) {
      if (i > 0) wrapped.push_back(MakeOp(","));
      Token column = MakeWord(context.view_columns[i]);
      column.kind = TokenKind::kQuoted;
      column.quote = '"';
      wrapped.push_back(column);
    }
    wrapped.push_back(MakeOp(")"));
    tokens = std::move(wrapped);
  }
  out.view_name = context.options.view_name.empty() ? context.view_name : ToUpper(context.options.view_name);
  out.query = Print(tokens);
  out.references = References(tokens);
  out.unsupported = std::move(context.unsupported);
  std::stable_sort(out.unsupported.begin(), out.unsupported.end(), [](const Unsupported& a, const Unsupported& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

}  // namespace cdmlake::tsql
