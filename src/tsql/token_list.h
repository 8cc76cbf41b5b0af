// Helpers for editing a token list: matching parentheses, splitting call arguments, replacing ranges, and
// printing tokens back as DuckDB SQL. The rewrite rules are written with these, so each rule reads as "find this
// shape, replace it with that one" without index bookkeeping of its own.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tsql/tokenizer.h"

namespace cdmlake::tsql {

using Tokens = std::vector<Token>;

inline constexpr size_t kNone = static_cast<size_t>(-1);

// A half-open range [begin, end) of token indexes.
struct Range {
  size_t begin = 0;
  size_t end = 0;
  bool empty() const { return begin >= end; }
};

// The index of the ')' matching the '(' at `open`, or kNone when it is unbalanced.
size_t MatchParen(const Tokens& tokens, size_t open);
// The index of the '(' matching the ')' at `close`, or kNone.
size_t MatchParenBackward(const Tokens& tokens, size_t close);
// True when tokens[i] is the bare word `name` followed by '(' (a call of that function).
bool IsCall(const Tokens& tokens, size_t i, std::string_view name);
// The arguments between the '(' at `open` and the ')' at `close`, split at commas of that level. An empty
// argument list gives no ranges.
std::vector<Range> SplitArgs(const Tokens& tokens, size_t open, size_t close);
// Splits [range.begin, range.end) at the commas of its outermost level (a select list, a GROUP BY list).
std::vector<Range> SplitTopLevel(const Tokens& tokens, Range range, std::string_view separator = ",");
// Copies of the tokens in the range.
Tokens Slice(const Tokens& tokens, Range range);
// Replaces [begin, end) by `replacement`.
void ReplaceRange(Tokens* tokens, size_t begin, size_t end, const Tokens& replacement);
// Appends `more` to `*out`.
void Append(Tokens* out, const Tokens& more);
// Tokens of `sql` (a fragment written by a rule, e.g. "CAST ( current_timestamp AS TIMESTAMP )"), positioned at
// `origin` so that problems found later still point into the definition.
Tokens Fragment(std::string_view sql, const Token& origin = Token{});
// The paren depth of every token (a '(' has the depth outside it, as does its ')').
std::vector<int> Depths(const Tokens& tokens);

// Prints tokens as one SQL text: single spaces, none inside parentheses or around dots, and a line break before
// the clauses of the outermost query (FROM, WHERE, joins, UNION ALL...) so goldens and errors stay readable.
std::string Print(const Tokens& tokens);
// One token as SQL text (identifiers re-quoted, strings re-escaped).
std::string Render(const Token& token);

}  // namespace cdmlake::tsql
